/**
 * The shared suite in real Deno (the binary of the npm package `deno`), through `npm:nomyo-secure`
 * and through the self-contained dist/nomyo-secure.deno.min.js. Deno may only reach 127.0.0.1 and
 * read the vectors, the key directory, the suite and dist: the package needs nothing more.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CaseResult } from '../suite/index.js'
import {
  REPO_ROOT,
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

const DENO = binary('@deno/linux-x64-glibc/deno', '.bin/deno')
const vectors = await readVectors()
const report = suiteReportOf<{
  resolved: string
  sameModule: boolean
  exports: string[]
  builtExports: string[]
  results: CaseResult[]
  builtResults: CaseResult[]
}>('deno', (appDir, routerUrl) => {
  const keyDir = makeKeyDir(appDir)
  const readable = [VECTORS_DIR, keyDir, join(REPO_ROOT, 'tests/suite'), join(REPO_ROOT, 'dist')].join(',')
  const built = pathToFileURL(join(REPO_ROOT, 'dist/nomyo-secure.deno.min.js')).href
  const args = [
    'run',
    '--no-prompt',
    '--cached-only',
    '--allow-net=127.0.0.1',
    `--allow-read=${readable}`,
    'run.ts',
    pathToFileURL(SUITE_ENTRY).href,
    routerUrl,
    routerFingerprint,
    VECTORS_DIR,
    keyDir,
    built,
  ]
  return run(DENO, args, { cwd: appDir, env: { DENO_NO_UPDATE_CHECK: '1' } })
})

describe('deno: npm:nomyo-secure', () => {
  it('resolves the bare name and npm: to one module, dist/runtime/deno.js through the "deno" condition', () => {
    expect(report()?.resolved).toMatch(/\/dist\/runtime\/deno\.js$/)
    expect(report()?.sameModule).toBe(true)
    expect(report()?.exports).toContain('FileKeyStore')
  })
  itEachCase(caseNames(vectors, { files: true }), () => report()?.results)
})

describe('deno: dist/nomyo-secure.deno.min.js imported by URL', () => {
  it('exports the same names as the package entry', () => expect(report()?.builtExports.sort()).toEqual(report()?.exports.sort()))
  itEachCase(caseNames(vectors, { slow: false, files: true }), () => report()?.builtResults, 'built file: ')
})
