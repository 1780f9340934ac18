import { buildWorker } from '../../bin/build'

// API tests run the real bundle: rebuild it (about a second) so they never test a stale one.
export default async function setup() {
  await buildWorker()
}
