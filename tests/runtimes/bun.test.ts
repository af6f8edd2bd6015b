/**
 * The shared suite in real Bun (the binary of the npm package `bun`), importing `nomyo-secure` by
 * name from an app directory. `--no-install`: Bun must never fetch a missing package on its own.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseResult } from '../suite/index.js'
import {
  REPO_ROOT,
  SUITE_ENTRY,
  binary,
  VECTORS_DIR,
  caseNames,
  itEachCase,
  makeApp,
  makeKeyDir,
  parseReport,
  readVectors,
  routerFingerprint,
  run,
  startSuiteRouter,
} from './harness.js'

const BUN = binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')
const vectors = await readVectors()
let report: { resolved: string; exports: string[]; results: CaseResult[] } | undefined
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  const router = await startSuiteRouter()
  const app = makeApp('bun')
  cleanup.push(() => router.close(), app.remove)
  copyFileSync(join(REPO_ROOT, 'tests/runtimes/bun/run.ts'), join(app.dir, 'run.ts'))
  const args = ['--no-install', 'run.ts', pathToFileURL(SUITE_ENTRY).href, router.url, routerFingerprint, VECTORS_DIR, makeKeyDir(app.dir)]
  report = parseReport(await run(BUN, args, { cwd: app.dir }), 'bun')
}, 120_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('bun: nomyo-secure', () => {
  it('resolves through the "bun" condition to dist/runtime/bun.js, with file keys', () => {
    expect(report?.resolved).toMatch(/\/dist\/runtime\/bun\.js$/)
    expect(report?.exports).toContain('FileKeyStore')
  })
  itEachCase(caseNames(vectors, { files: true }), () => report?.results)
})
