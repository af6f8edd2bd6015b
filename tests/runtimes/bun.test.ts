/**
 * The shared suite in real Bun (the binary of the npm package `bun`), importing `nomyo-secure` by
 * name from an app directory. `--no-install`: Bun must never fetch a missing package on its own.
 */
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CaseResult } from '../suite/index.js'
import {
  SUITE_ENTRY,
  binary,
  VECTORS_DIR,
  caseNames,
  itEachCase,
  makeKeyDir,
  readVectors,
  routerFingerprint,
  run,
  suiteReportOf,
} from './harness.js'

const BUN = binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')
const vectors = await readVectors()
const report = suiteReportOf<{ resolved: string; exports: string[]; results: CaseResult[] }>('bun', (appDir, routerUrl) => {
  const args = ['--no-install', 'run.ts', pathToFileURL(SUITE_ENTRY).href, routerUrl, routerFingerprint, VECTORS_DIR, makeKeyDir(appDir)]
  return run(BUN, args, { cwd: appDir })
})

describe('bun: nomyo-secure', () => {
  it('resolves through the "bun" condition to dist/runtime/bun.js, with file keys', () => {
    expect(report()?.resolved).toMatch(/\/dist\/runtime\/bun\.js$/)
    expect(report()?.exports).toContain('FileKeyStore')
  })
  itEachCase(caseNames(vectors, { files: true }), () => report()?.results)
})
