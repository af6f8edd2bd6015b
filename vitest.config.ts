import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The runtime suites spawn Deno, Bun, workerd and Chromium; two cores are shared with them.
    fileParallelism: true,
    maxWorkers: 2,
  },
})
