#!/usr/bin/env node
// Entry point of the Moat launcher: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./cli.ts')
await main(process.argv.slice(2))
