// `npm run test:unit`: the tests that need nothing but Node (and Python for the interop checks), no
// build, no browser, Deno, Bun or workerd, and no load or fuzz runs: the quick check while working.
// `npm test` runs everything, the runtime suites included.
import { configDefaults, defineConfig } from 'vitest/config'
import base from './vitest.config.js'

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/keystore/**/*.test.ts',
      'tests/openai/**/*.test.ts',
      'tests/interop/**/*.test.ts',
      'tests/relay/**/*.test.ts',
      'tests/security/**/*.test.ts',
      'tests/cli/**/*.test.ts',
      'tests/hardening/faults.test.ts',
      'tests/docs/**/*.test.ts',
    ],
    exclude: [
      ...configDefaults.exclude,
      // These start Deno and Bun, Chromium or the built dist/ files.
      'tests/keystore/file-key-store-runtimes.test.ts',
      'tests/keystore/crash.test.ts',
      'tests/relay/spa-page.test.ts',
      'tests/cli/bin.test.ts',
      'tests/security/router-limits-runtimes.test.ts',
      'tests/security/key-files.test.ts',
      // A stress run against the built router: npm test.
      'tests/security/router-stress.test.ts',
    ],
  },
})
