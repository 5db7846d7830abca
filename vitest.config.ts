import { defineConfig } from 'vitest/config'

// unit: pure code, no server. api: the built server (.output) over HTTP, one fresh database per file.
// e2e: Debian's Chromium driven by playwright-core against the built server, each file its own
// server and browser. Files run two at a time: they mostly wait (servers starting, pages, polls).
// Vitest's own default is one fewer than the cores, so on a two-core machine it ran every file
// one after another (the whole run 927 s here; 623 s two at a time).
// A poll waits for what a server's answer brings (a page's change after a click, a row written
// after the answer): vitest gives up after one second, which a loaded two-core machine can pass
// with the code right. Ten seconds, as long as a person would wait before calling it broken.
const poll = { timeout: 10_000 }

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'api', include: ['tests/api/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 240_000, expect: { poll } } },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 240_000, expect: { poll } } },
    ],
  },
})
