/**
 * The SPA recipe in a real browser (Debian's Chromium): a page with no API key uses the relay as its
 * `baseUrl`, on its own origin (`/api/nomyo` beside the page) and on another origin it allows
 * (CORS); a relay that does not allow the page's origin is never reached past the preflight. What
 * the relay handled is searched for the prompt and the answer. The page requires key binding, so
 * each exchange also proves that the router's advertisement crossed the relay (and CORS).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../e2e/helpers/chromium.js'
import { serveStatic } from '../../e2e/helpers/static-server.js'
import { createRelay, type RelayOptions } from '../../src/relay/index.js'
import { serve } from '../../src/runtime/node-server.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

const API_KEY = 'sk-spa-relay-key'
const PROMPT = 'CANARY-SPA-PROMPT-6b0f'
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>SPA</title>
<script type="module">
  import { SecureChatCompletion } from '/dist/nomyo-secure.browser.min.js'
  globalThis.ask = async (baseUrl, content, pem) => {
    // 'require': nothing is sent unless the router's key-binding advertisement reached the page.
    const client = new SecureChatCompletion({ baseUrl, allowHttp: true, maxRetries: 0, keyBinding: 'require' })
    await client.client.loadKeys(pem)
    const completion = await client.create({ model: 'm', messages: [{ role: 'user', content }] })
    return completion._metadata.key_bound === true ? completion.choices[0].message.content : 'not key-bound'
  }
</script>`

let router: TestRouter
let tab: Page
let siteUrl = ''
const relayUrls = { allowed: '', refused: '' }
/** Every body the relays forwarded or got back, and the headers the browser sent them. */
const relayed: string[] = []
const fromBrowser: Headers[] = []
const cleanup: Array<() => unknown> = []

function relayFor(options: Partial<RelayOptions> = {}): (request: Request) => Promise<Response> {
  const relay = createRelay({
    routerUrl: router.url,
    apiKey: API_KEY,
    allowHttp: true,
    fetch: async (request) => {
      relayed.push(await request.clone().text())
      const response = await fetch(request)
      relayed.push(await response.clone().text())
      return response
    },
    ...options,
  })
  return (request) => {
    fromBrowser.push(new Headers(request.headers))
    return relay(request)
  }
}

beforeAll(async () => {
  router = await startRouter({ apiKey: API_KEY })
  cleanup.push(() => router.close())
  const sameOrigin = relayFor()
  const site = await serveStatic({
    handler: (request) => {
      const path = new URL(request.url).pathname
      if (path === '/spa/') return new Response(PAGE, { headers: { 'Content-Type': 'text/html' } })
      return path.startsWith('/api/nomyo/') ? sameOrigin(request) : undefined
    },
  })
  siteUrl = site.url
  const allowed = await serve(relayFor({ allowedOrigins: [siteUrl] }))
  const refused = await serve(relayFor({ allowedOrigins: ['https://another-app.example'] }))
  relayUrls.allowed = allowed.url
  relayUrls.refused = refused.url
  cleanup.push(
    () => site.close(),
    () => allowed.close(),
    () => refused.close(),
  )
  const browser: Browser = await launchChromium()
  cleanup.push(() => browser.close())
  tab = await browser.newPage()
  await tab.goto(`${siteUrl}/spa/`)
  await tab.waitForFunction(() => 'ask' in globalThis, undefined, { timeout: 20_000 })
}, 120_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

const ask = (baseUrl: string, content: string) =>
  tab.evaluate(
    ([url, text, pem]) => (globalThis as unknown as { ask(u: string, c: string, p: string): Promise<string> }).ask(url, text, pem),
    [baseUrl, content, clientPem] as const,
  )

describe('SPA in Chromium: page + relay, no API key in the page', () => {
  it('same origin: baseUrl is the page origin plus /api/nomyo', async () => {
    expect(await ask(`${siteUrl}/api/nomyo`, `${PROMPT} same`)).toBe(`echo: ${PROMPT} same`)
    expect(router.requests.at(-1)?.apiKey).toBe(API_KEY)
  })

  it('another origin that allows the page: CORS preflight, then the same exchange', async () => {
    expect(await ask(relayUrls.allowed, `${PROMPT} cross`)).toBe(`echo: ${PROMPT} cross`)
    expect(fromBrowser.some((headers) => headers.get('origin') === siteUrl)).toBe(true)
  })

  it('a relay that does not allow the page origin: the browser stops, the router sees nothing', async () => {
    const before = router.requests.length
    await expect(ask(relayUrls.refused, `${PROMPT} refused`)).rejects.toThrow()
    expect(router.requests.length).toBe(before)
  })

  it('the browser never sent an API key, and the relays never saw the prompt or the answer', () => {
    expect(fromBrowser.length).toBeGreaterThanOrEqual(4)
    expect(fromBrowser.filter((headers) => headers.has('authorization'))).toEqual([])
    expect(relayed.join('\n')).toContain('encrypted_aes_key')
    expect(relayed.join('\n')).not.toContain(PROMPT)
  })
})
