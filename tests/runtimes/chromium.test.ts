/**
 * The shared suite in Debian's Chromium (playwright-core), on a page served from 127.0.0.1 and a
 * router on another 127.0.0.1 port (cross-origin, as in production). The package is used three
 * ways: bundled for the browser (the "browser" export condition), the ESM file, the <script> build.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../e2e/helpers/chromium.js'
import { serveStatic } from '../../e2e/helpers/static-server.js'
import type { CaseResult } from '../suite/index.js'
import { bundle } from './bundle.js'
import { REPO_ROOT, VECTORS_DIR, caseNames, itEachCase, makeApp, readVectors, routerFingerprint, startSuiteRouter } from './harness.js'

type Report = { exports: string[]; results: CaseResult[] }
const VARIANTS = ['bundled', 'esm', 'script'] as const
const vectors = await readVectors()
let modules: string[] = []
const reports: Partial<Record<(typeof VARIANTS)[number], Report>> = {}
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  const router = await startSuiteRouter()
  const app = makeApp('chromium')
  cleanup.push(() => router.close(), app.remove)
  const page = await bundle(join(REPO_ROOT, 'tests/runtimes/chromium/page.ts'), ['browser'], join(app.dir, 'node_modules'))
  modules = page.modules
  writeFileSync(join(app.dir, 'page.js'), page.code)
  const site = await serveStatic({ extraRoots: { '/vectors/': VECTORS_DIR, '/run/': app.dir } })
  cleanup.push(() => site.close())
  const browser: Browser = await launchChromium()
  cleanup.push(() => browser.close())
  const tab = await browser.newPage()
  const errors: string[] = []
  tab.on('pageerror', (error) => errors.push(error.message))
  await tab.goto(`${site.url}/tests/runtimes/chromium/index.html`)
  await tab
    .waitForFunction(() => 'runNomyoSuite' in globalThis, undefined, { timeout: 20_000 })
    .catch(() => {
      throw new Error(`the page did not load its runner: ${errors.join('; ') || 'no page error'}`)
    })
  for (const variant of VARIANTS) {
    reports[variant] = await tab.evaluate(
      ([name, url, pin]) =>
        (globalThis as unknown as { runNomyoSuite(v: string, u: string, p: string): Promise<Report> }).runNomyoSuite(name, url, pin),
      [variant, router.url, routerFingerprint] as const,
    )
  }
}, 120_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('chromium: nomyo-secure bundled for the browser', () => {
  it('resolves through the "browser" condition to dist/runtime/browser.js, without file keys', () => {
    expect(modules.filter((id) => id.includes('/dist/runtime/'))).toEqual([join(REPO_ROOT, 'dist/runtime/browser.js')])
    expect(modules.filter((id) => id.includes('/dist/platform/json-utf8'))).toEqual([join(REPO_ROOT, 'dist/platform/json-utf8-browser.js')])
    expect(reports.bundled?.exports).toContain('IndexedDBKeyStore')
    expect(reports.bundled?.exports).not.toContain('FileKeyStore')
  })
  itEachCase(caseNames(vectors), () => reports.bundled?.results)
})

describe('chromium: dist/nomyo-secure.browser.min.js imported as ESM', () => {
  it('exports the same names as the browser entry', () => expect(reports.esm?.exports.sort()).toEqual(reports.bundled?.exports.sort()))
  itEachCase(caseNames(vectors, { slow: false }), () => reports.esm?.results, 'ESM file: ')
})

describe('chromium: dist/nomyo-secure.iife.min.js as a <script> (global NomyoSecure)', () => {
  it('defines the same names as the browser entry', () => expect(reports.script?.exports.sort()).toEqual(reports.bundled?.exports.sort()))
  itEachCase(caseNames(vectors, { slow: false }), () => reports.script?.results, 'script tag: ')
})
