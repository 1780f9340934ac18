import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../bin/config'

describe('scale-out path', () => {
  it('keeps wrangler.toml deployable: wrangler bundles the same worker with its D1 binding', async () => {
    const { stdout } = await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 'wrangler'),
      ['deploy', '--dry-run', '--outdir', path.join(ROOT, 'tests', '.artifacts', 'wrangler')],
      { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, timeout: 120_000 },
    )
    expect(stdout).toMatch(/env\.DB \(moat\)\s+D1 Database/)
    expect(stdout).toContain('--dry-run: exiting now.')
  }, 120_000)
})
