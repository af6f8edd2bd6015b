// The shared suite in a page. tests/runtimes/chromium.test.ts bundles this file as an app's bundler
// would for the browser (so `nomyo-secure` resolves through the "browser" condition) and calls
// `runNomyoSuite` for three ways a page gets the package: bundled, the ESM file, the <script> global.
import * as bundled from 'nomyo-secure'
import { loadVectors, runSuite, suite, type SuiteContext } from '../../suite/index.ts'

type Variant = 'bundled' | 'esm' | 'script'

async function packageFor(variant: Variant): Promise<unknown> {
  if (variant === 'bundled') return bundled
  // A variable specifier: the bundler must leave this import to the browser.
  const file = '/dist/nomyo-secure.browser.min.js'
  if (variant === 'esm') return import(/* @vite-ignore */ file)
  return (globalThis as { NomyoSecure?: unknown }).NomyoSecure
}

async function runNomyoSuite(variant: Variant, routerUrl: string, routerFingerprint: string) {
  const lib = (await packageFor(variant)) as SuiteContext['lib']
  const vectors = await loadVectors(async (path) => {
    const response = await fetch(`/vectors/${path}`)
    if (!response.ok) throw new Error(`GET /vectors/${path}: ${response.status}`)
    return response.text()
  })
  // Only one RSA-4096 generation per browser run: the bundled variant does it.
  const cases = suite(vectors).filter((test) => variant === 'bundled' || !test.slow)
  const results = await runSuite({ runtime: `chromium ${variant}`, lib, routerUrl, routerFingerprint, vectors }, cases)
  return { exports: Object.keys(lib), results }
}

Object.assign(globalThis, { runNomyoSuite })
