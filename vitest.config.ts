import { defineConfig } from 'vitest/config'

// unit: pure code, no server. api: the built server (.output) over HTTP, one fresh database per file.
// e2e: Debian's Chromium driven by playwright-core against the built server, each file its own
// server and browser. Files run two at a time like the others: they mostly wait (pages, polls),
// and one at a time the browser tests alone took ten minutes of the test command.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'api', include: ['tests/api/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 240_000 } },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 240_000 } },
    ],
  },
})
