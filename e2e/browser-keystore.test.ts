/**
 * The browser key store in real Chromium: the page imports the browser build (bundled from
 * src/runtime/browser.ts with rollup) from 127.0.0.1, and talks to a router on the same origin.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { rollup, type Plugin } from 'rollup'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecureRouter, loadKeyPair } from '../src/router/index.js'
import type { NodeServer } from '../src/runtime/node-server.js'
import { echoCompletion } from '../tests/helpers/router.js'
import { routerPem } from '../tests/helpers/keys.js'
import { launchChromium } from './helpers/chromium.js'
import { REPO_ROOT, serveStatic } from './helpers/static-server.js'

/** Compiles the TypeScript sources on the fly (no type check: `tsc` does that) so the page runs today's src. */
const typescriptSources: Plugin = {
  name: 'typescript-sources',
  resolveId(id, importer) {
    if (!importer?.endsWith('.ts') || !id.startsWith('.') || !id.endsWith('.js')) return null
    const candidate = join(importer, '..', id.slice(0, -3) + '.ts')
    return existsSync(candidate) ? candidate : null
  },
  transform(code, id) {
    if (!id.endsWith('.ts')) return null
    const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true }
    return { code: ts.transpileModule(code, { fileName: id, compilerOptions }).outputText, map: null }
  },
}

// Counts RSA generations in each page, so "reuses the key" means "generated nothing".
const countGenerations = () => {
  const original = SubtleCrypto.prototype.generateKey
  ;(window as unknown as { rsaGenerations: number }).rsaGenerations = 0
  SubtleCrypto.prototype.generateKey = function (this: SubtleCrypto, algorithm: AlgorithmIdentifier, ...rest: unknown[]) {
    if ((algorithm as Algorithm).name === 'RSA-OAEP') (window as unknown as { rsaGenerations: number }).rsaGenerations++
    return (original as (...args: unknown[]) => Promise<unknown>).call(this, algorithm, ...rest)
  } as SubtleCrypto['generateKey']
}

type RoundTrip = { content: string; fingerprint: string; persisted: boolean }
type StoreTrip = RoundTrip & { status: string; reason: string | null; banner: string }
type Slot = {
  isCryptoKey: boolean
  extractable: boolean
  type: string
  usages: string[]
  pkcs8Export: string | null
  jwkExport: string | null
  wrapExport: string | null
  decrypts: boolean
  fingerprint: string
}
interface PageApi {
  roundTrip(options?: object): Promise<RoundTrip>
  roundTripWithStore(options?: object): Promise<StoreTrip>
  readSlot(slot?: string): Promise<Slot | null>
  createAtBarrier(): Promise<{ fingerprint: string; own: string; status: string }>
  release(): void
  rsaGenerations: number
  enteredGeneration?: boolean
  lastClient: { client: { rotateKeys(): Promise<{ fingerprint: string }> } }
}
const api =
  (page: Page) =>
  <T>(fn: (w: PageApi, arg: never) => T | Promise<T>, arg?: unknown): Promise<T> =>
    page.evaluate(([source, a]) => new Function('w', 'a', `return (${source})(w, a)`)(window, a), [
      fn.toString(),
      arg,
    ] as const) as Promise<T>

let browser: Browser
let server: NodeServer
let bundleDir: string
const noise: string[] = []

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'nomyo-browser-bundle-'))
  const bundle = await rollup({
    input: join(REPO_ROOT, 'src/runtime/browser.ts'),
    plugins: [typescriptSources, nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] })],
  })
  await bundle.write({ file: join(bundleDir, 'nomyo-secure.js'), format: 'esm', inlineDynamicImports: true })
  await bundle.close()
  const router = createSecureRouter({ keyPair: await loadKeyPair(routerPem), complete: echoCompletion })
  server = await serveStatic({
    extraRoots: { '/bundle/': bundleDir },
    handler: (request) => {
      const path = new URL(request.url).pathname
      return path === '/pki/public_key' || path.startsWith('/v1/') ? router(request) : undefined
    },
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true })
})

/** A fresh browser profile (empty IndexedDB); `setup` runs in every page before any script. */
async function newContext(setup?: () => void): Promise<BrowserContext> {
  const context = await browser.newContext()
  await context.addInitScript(countGenerations)
  if (setup) await context.addInitScript(setup)
  return context
}

async function openTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  // The library must stay silent: any console message or uncaught error fails the test.
  page.on('console', (message) => noise.push(`console.${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => noise.push(`pageerror: ${error.message}`))
  await page.goto(`${server.url}/e2e/pages/keystore.html`)
  await page.waitForFunction(() => (window as unknown as { pageReady?: boolean }).pageReady === true)
  return page
}

async function reload(page: Page): Promise<void> {
  await page.reload()
  await page.waitForFunction(() => (window as unknown as { pageReady?: boolean }).pageReady === true)
}

describe('IndexedDBKeyStore in Chromium', () => {
  it('stores the pair non-extractable; a reload and a second tab reuse it without generating', async () => {
    noise.length = 0
    const context = await newContext()
    try {
      const tab = await openTab(context)
      const first = await api(tab)((w) => w.roundTrip())
      expect(first).toMatchObject({ content: 'echo: hi', persisted: true })

      const slot = await api(tab)((w) => w.readSlot())
      expect(slot).toEqual({
        isCryptoKey: true,
        extractable: false,
        type: 'private',
        usages: ['decrypt', 'unwrapKey'],
        pkcs8Export: 'InvalidAccessError',
        jwkExport: 'InvalidAccessError',
        wrapExport: 'InvalidAccessError',
        decrypts: true,
        fingerprint: first.fingerprint,
      })

      await reload(tab)
      const afterReload = await api(tab)((w) => w.roundTrip())
      expect(afterReload.fingerprint).toBe(first.fingerprint)
      expect(await api(tab)((w) => w.rsaGenerations)).toBe(0)

      const second = await openTab(context)
      expect((await api(second)((w) => w.roundTrip())).fingerprint).toBe(first.fingerprint)
      expect(await api(second)((w) => w.rsaGenerations)).toBe(0)

      // Named slots keep separate pairs.
      const other = await api(second)((w) => w.roundTrip({ keySlot: 'other' }))
      expect(other.fingerprint).not.toBe(first.fingerprint)
      expect((await api(second)((w) => w.readSlot('other')))!.fingerprint).toBe(other.fingerprint)
      expect(noise).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('rotateKeys() replaces the stored pair, and the new one survives a reload', async () => {
    noise.length = 0
    const context = await newContext()
    try {
      const tab = await openTab(context)
      const old = await api(tab)((w) => w.roundTrip())
      const rotated = await api(tab)((w) => w.lastClient.client.rotateKeys())
      expect(rotated.fingerprint).not.toBe(old.fingerprint)
      expect((await api(tab)((w) => w.readSlot()))!.fingerprint).toBe(rotated.fingerprint)
      await reload(tab)
      expect((await api(tab)((w) => w.roundTrip())).fingerprint).toBe(rotated.fingerprint)
      expect(noise).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('two tabs creating at the same moment end with one key, generated once (Web Locks)', async () => {
    noise.length = 0
    const context = await newContext()
    try {
      const [a, b] = [await openTab(context), await openTab(context)]
      const [ra, rb] = await Promise.all([api(a)((w) => w.roundTrip()), api(b)((w) => w.roundTrip())])
      expect(ra.fingerprint).toBe(rb.fingerprint)
      expect((await api(a)((w) => w.rsaGenerations)) + (await api(b)((w) => w.rsaGenerations))).toBe(1)
      expect((await api(b)((w) => w.readSlot()))!.fingerprint).toBe(ra.fingerprint)
      expect(noise).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('without Web Locks, two tabs that both generated still end with one key: the second add loses and reads the winner', async () => {
    noise.length = 0
    const context = await newContext(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true })
    })
    try {
      const [a, b] = [await openTab(context), await openTab(context)]
      const pending = [api(a)((w) => w.createAtBarrier()), api(b)((w) => w.createAtBarrier())]
      // Both tabs have found the slot empty and hold a fresh pair before either may write.
      for (const tab of [a, b])
        await tab.waitForFunction(() => (window as unknown as { enteredGeneration?: boolean }).enteredGeneration === true)
      await Promise.all([api(a)((w) => w.release()), api(b)((w) => w.release())])
      const [ra, rb] = await Promise.all(pending)
      expect(ra.own).not.toBe(rb.own) // two different pairs were generated...
      expect(ra.fingerprint).toBe(rb.fingerprint) // ...and both tabs use the one that was stored
      expect([ra.own, rb.own]).toContain(ra.fingerprint)
      expect([ra.status, rb.status]).toEqual(['indexeddb', 'indexeddb'])
      expect((await api(a)((w) => w.readSlot()))!.fingerprint).toBe(ra.fingerprint)
      expect(noise).toEqual([])
    } finally {
      await context.close()
    }
  })
})

describe('IndexedDBKeyStore falls back to memory in Chromium, and says so', () => {
  const cases: Array<{ name: string; reason: string; setup: () => void }> = [
    {
      name: 'IndexedDB missing',
      reason: 'unavailable',
      setup: () => {
        Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true })
      },
    },
    {
      name: 'indexedDB.open throwing (storage blocked)',
      reason: 'open-failed',
      setup: () => {
        IDBFactory.prototype.open = () => {
          throw new DOMException('The user denied permission to access the database.', 'SecurityError')
        }
      },
    },
    {
      name: 'CryptoKeys refused (DataCloneError, as in WebKit private mode)',
      reason: 'clone-refused',
      setup: () => {
        const refuse = () => {
          throw new DOMException('Failed to store record in an IDBObjectStore: A CryptoKey cannot be cloned.', 'DataCloneError')
        }
        IDBObjectStore.prototype.add = refuse
        IDBObjectStore.prototype.put = refuse
      },
    },
  ]
  for (const { name, reason, setup } of cases) {
    it(`${name}: the client works from memory and reports keys as not persisted`, async () => {
      noise.length = 0
      const context = await newContext(setup)
      try {
        const tab = await openTab(context)
        const viaDefault = await api(tab)((w) => w.roundTrip())
        expect(viaDefault).toMatchObject({ content: 'echo: hi', persisted: false })
        const viaStore = await api(tab)((w) => w.roundTripWithStore())
        expect(viaStore).toMatchObject({
          content: 'echo: hi',
          persisted: false,
          status: 'memory',
          reason,
          banner: `keys not saved (${reason})`,
        })
        await reload(tab)
        // Nothing was kept: the reloaded page makes a new pair.
        const again = await api(tab)((w) => w.roundTrip())
        expect(again.fingerprint).not.toBe(viaDefault.fingerprint)
        expect(noise).toEqual([])
      } finally {
        await context.close()
      }
    })
  }
})
