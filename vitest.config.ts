import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Tests run the TypeScript sources in Node: `#platform/…` are Node's modules, from src rather
  // than the built dist/platform files package.json points Node at.
  resolve: {
    alias: {
      '#platform/bytes': fileURLToPath(new URL('./src/platform/bytes-node.ts', import.meta.url)),
      '#platform/aes-gcm': fileURLToPath(new URL('./src/platform/aes-gcm-node.ts', import.meta.url)),
      '#platform/upload-stream': fileURLToPath(new URL('./src/platform/upload-stream.ts', import.meta.url)),
      '#platform/json-utf8': fileURLToPath(new URL('./src/platform/json-utf8.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Type-level tests (*.test-d.ts) are checked by tsc as part of the run.
    typecheck: { enabled: true, include: ['tests/types/*.test-d.ts'], tsconfig: './tests/types/tsconfig.json' },
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    globalSetup: ['./tests/helpers/require-vectors.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The runtime suites spawn Deno, Bun, workerd and Chromium; two cores are shared with them.
    fileParallelism: true,
    maxWorkers: 2,
  },
})
