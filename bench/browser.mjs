// Browser start-up: Chromium (playwright-core, Debian's /usr/bin/chromium or CHROMIUM_PATH) loads a
// page from 127.0.0.1 that imports dist/nomyo-secure.browser.min.js; the same server answers the
// router key. Measured per fresh page load: from `new SecureCompletionClient()` to the first request
// being ready to send (client key pair available + router key fetched + encryptPayload done), with
// the key pair already in IndexedDB (warm) and with an RSA-4096 pair to generate (cold).
// Prints one JSON line. Usage: node bench/browser.mjs [--quick]
import { readFile } from 'node:fs/promises'
import { launchChromium } from '../e2e/helpers/chromium.mjs'
import { createSecureRouter, loadKeyPair } from '../dist/router/index.js'
import { serve } from '../dist/runtime/node.js'
import { loadKeyPems, median, requestOfSize } from './common.mjs'

const quick = process.argv.includes('--quick')
const WARM = quick ? 5 : 15
const COLD = quick ? 2 : 7

const PAGE = `<!doctype html><meta charset="utf-8"><title>nomyo-secure start-up bench</title>
<script type="module">
const importStarted = performance.now()
const mod = await import('/dist/nomyo-secure.browser.min.js')
window.bundle = { importMs: performance.now() - importStarted, keyStore: 'IndexedDBKeyStore' in mod ? 'IndexedDB (default)' : 'memory (no IndexedDBKeyStore exported)' }
window.firstRequestReady = async (request) => {
  const started = performance.now()
  const client = new mod.SecureCompletionClient({ routerUrl: location.origin, allowHttp: true })
  // What sendSecureRequest waits for before it can post: both keys, then the sealed package.
  await Promise.all([client.publicKey(), client.fetchServerPublicKey()])
  const sealed = await client.encryptPayload(request)
  const ms = performance.now() - started
  return { ms, sinceNavigation: performance.now(), persisted: client.keysPersisted, bytes: sealed.length }
}
window.forgetKeys = async () => {
  for (const db of await indexedDB.databases()) {
    await new Promise((resolve) => {
      const deletion = indexedDB.deleteDatabase(db.name)
      deletion.onsuccess = deletion.onerror = deletion.onblocked = resolve
    })
  }
}
window.ready = true
</script>`

const { privatePem } = loadKeyPems()
const router = createSecureRouter({ keyPair: await loadKeyPair(privatePem), complete: async () => ({}) })
const server = await serve(async (request) => {
  const path = new URL(request.url).pathname
  if (path === '/') return new Response(PAGE, { headers: { 'Content-Type': 'text/html; charset=utf-8' } })
  // The bundle may import chunks beside it (dist/browser-chunks/), so all of dist/*.js is served.
  if (path.startsWith('/dist/') && path.endsWith('.js') && !path.includes('..')) {
    const file = new URL('..' + path, import.meta.url)
    return new Response(await readFile(file), {
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }
  return router(request)
})

const browser = await launchChromium()
try {
  const page = await browser.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  const request = requestOfSize(1024)
  const load = async () => {
    await page.goto(server.url + '/')
    await page.waitForFunction(() => window.ready === true)
  }
  const sample = () => page.evaluate((body) => window.firstRequestReady(body), request)

  const cold = []
  for (let i = 0; i < COLD; i++) {
    await load()
    await page.evaluate(() => window.forgetKeys())
    // A fresh page, so nothing from the deleting page is cached in memory.
    await load()
    cold.push(await sample())
  }
  // The last cold run left its pair in IndexedDB; one unmeasured load warms the HTTP cache of Chromium itself.
  await load()
  await sample()
  const warm = []
  const imports = []
  for (let i = 0; i < WARM; i++) {
    await load()
    imports.push(await page.evaluate(() => window.bundle.importMs))
    warm.push(await sample())
  }
  const bundle = await page.evaluate(() => window.bundle)
  const result = {
    chromium: browser.version(),
    keyStore: bundle.keyStore,
    keysPersisted: warm.every((s) => s.persisted),
    warm: { runs: WARM, medianMs: median(warm.map((s) => s.ms)), medianSinceNavigationMs: median(warm.map((s) => s.sinceNavigation)) },
    cold: {
      runs: COLD,
      medianMs: median(cold.map((s) => s.ms)),
      minMs: Math.min(...cold.map((s) => s.ms)),
      maxMs: Math.max(...cold.map((s) => s.ms)),
    },
    bundleImportMs: median(imports),
  }
  console.log(JSON.stringify(result))
} finally {
  await browser.close()
  await server.close()
}
