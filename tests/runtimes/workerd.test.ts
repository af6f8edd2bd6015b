/**
 * The shared suite in workerd, the Cloudflare Workers runtime, through miniflare: the worker is
 * bundled with the conditions a Workers bundler uses, so `nomyo-secure` resolves to the workers
 * entry, and runs without `nodejs_compat` (a Node built-in anywhere would fail to load).
 */
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseResult } from '../suite/index.js'
import { bundle } from './bundle.js'
import { REPO_ROOT, caseNames, itEachCase, makeApp, readVectors, routerFingerprint, startSuiteRouter } from './harness.js'

const vectors = await readVectors()
let modules: string[] = []
let report: { userAgent: string; exports: string[]; results: CaseResult[] } | undefined
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  const router = await startSuiteRouter()
  const app = makeApp('workerd')
  cleanup.push(() => router.close(), app.remove)
  const worker = await bundle(
    join(REPO_ROOT, 'tests/runtimes/workerd/worker.ts'),
    ['workerd', 'worker', 'browser'],
    join(app.dir, 'node_modules'),
  )
  modules = worker.modules
  const mf = new Miniflare({ modules: true, script: worker.code, compatibilityDate: '2025-09-01', host: '127.0.0.1' })
  cleanup.push(() => mf.dispose())
  const response = await mf.dispatchFetch('http://suite.local/', {
    method: 'POST',
    body: JSON.stringify({ routerUrl: router.url, routerFingerprint, vectors }),
  })
  if (!response.ok) throw new Error(`the worker answered ${response.status}: ${await response.text()}`)
  report = (await response.json()) as typeof report
}, 120_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('workerd: nomyo-secure in a bundled Worker', () => {
  it('resolves through the "workerd" condition to dist/runtime/workers.js, without file keys', () => {
    expect(modules.filter((id) => id.includes('/dist/runtime/'))).toEqual([join(REPO_ROOT, 'dist/runtime/workers.js')])
    // The sliced JSON text: a 10 MiB prompt is not copied once more in a 128 MB isolate.
    expect(modules.filter((id) => id.includes('/dist/platform/json-utf8'))).toEqual([join(REPO_ROOT, 'dist/platform/json-utf8.js')])
    expect(report?.exports).not.toContain('FileKeyStore')
    expect(report?.userAgent).toBe('Cloudflare-Workers')
  })
  itEachCase(caseNames(vectors), () => report?.results)
})
