import { defineConfig } from 'vitest/config'

// Three kinds of tests, one command: pure domain code in Node, API/scheduled tests against the
// real bundled worker in workerd (through the launcher's Miniflare options), and browser tests
// driving the built UI in Debian's Chromium.
export default defineConfig({
  test: {
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    projects: [
      // scrypt at its real cost (four hashes in one test) needs more than 5 s on a busy 2-core box.
      { test: { name: 'domain', include: ['tests/domain/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      {
        test: {
          name: 'api',
          globalSetup: ['tests/helpers/global-setup.ts'],
          include: ['tests/api/**/*.test.ts', 'tests/scheduled/**/*.test.ts', 'tests/bin/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
