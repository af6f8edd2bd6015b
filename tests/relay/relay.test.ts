/**
 * The API-key relay between a page and a router (src/relay). The relay is exactly the middle box
 * the protocol defeats: everything it receives, sends, gets back and logs is recorded here and
 * searched for a secret prompt and a secret answer that the page did send and receive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRelay, type RelayEvent } from '../../src/relay/index.js'
import { createSecureRouter, loadKeyPair } from '../../src/router/index.js'
import { SecureChatCompletion } from '../../src/runtime/node.js'
import { serve, type NodeServer } from '../../src/runtime/node-server.js'
import { clientPem, routerPem, routerPublicPem } from '../helpers/keys.js'
import { echoCompletion } from '../helpers/router.js'

const PROMPT_CANARY = 'CANARY-PROMPT-relay-3c1e'
const ANSWER_CANARY = 'CANARY-ANSWER-relay-8d27'
const API_KEY = 'sk-CANARY-relay-key-41aa'
const PAGE_ORIGIN = 'https://app.example'

/** What crossed the relay, as text: every request and answer on both of its sides, and its log. */
const seen: string[] = []
const events: RelayEvent[] = []
/** Headers of the requests that reached the router, and of those the page sent to the relay. */
const atRouter: Headers[] = []
const fromPage: Headers[] = []
const cleanup: Array<() => unknown> = []
let relayUrl = ''
let routerUrl = ''
let routerHits = 0
let completionsRun = 0

async function record(where: string, message: Request | Response): Promise<void> {
  const body = message.body ? await message.clone().text() : ''
  seen.push(`${where} ${[...message.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${body}`)
}

async function start(handler: (request: Request) => Promise<Response>): Promise<NodeServer> {
  const server = await serve(handler)
  cleanup.push(() => server.close())
  return server
}

beforeAll(async () => {
  const routerHandler = createSecureRouter({
    keyPair: await loadKeyPair(routerPem),
    apiKey: API_KEY,
    complete: async (request) => {
      completionsRun++
      const answer = echoCompletion(request)
      answer.choices[0]!.message.content += ` ${ANSWER_CANARY}`
      return answer
    },
  })
  const router = await start(async (request) => {
    routerHits++
    atRouter.push(new Headers(request.headers))
    const response = await routerHandler(request)
    // Headers a router may add (an extension's advertisement), and ones that must not reach a page.
    response.headers.set('X-Router-Extension', 'ext-1')
    response.headers.set('Set-Cookie', 'router=1')
    return response
  })
  routerUrl = router.url
  const relay = createRelay({
    routerUrl: router.url,
    apiKey: API_KEY,
    allowHttp: true,
    allowedOrigins: [PAGE_ORIGIN],
    authorize: (request) => request.headers.get('cookie') !== 'session=denied',
    onRequest: (event) => events.push(event),
    fetch: async (request) => {
      await record('relay → router', request)
      const response = await fetch(request)
      await record('router → relay', response)
      return response
    },
  })
  relayUrl = (
    await start(async (request) => {
      fromPage.push(new Headers(request.headers))
      await record('page → relay', request)
      const response = await relay(request)
      await record('relay → page', response)
      return response
    })
  ).url
})
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

/** The page's client: the relay's origin as `baseUrl`, and no API key. */
async function pageClient(): Promise<SecureChatCompletion> {
  // 'require': the page refuses to send unless the router's key-binding advertisement got through.
  const client = new SecureChatCompletion({ baseUrl: relayUrl, allowHttp: true, maxRetries: 0, keyBinding: 'require' })
  await client.client.loadKeys(clientPem)
  return client
}

describe('relay: a page without an API key talks to the router through it', () => {
  it('round-trips a completion; the router got the relay-held key, the page never sent one', async () => {
    const completion = await (await pageClient()).create({
      model: 'm',
      messages: [{ role: 'user', content: PROMPT_CANARY }],
      security_tier: 'high',
    })
    expect(completion.choices[0]!.message.content).toBe(`echo: ${PROMPT_CANARY} ${ANSWER_CANARY}`)
    expect(completion._metadata?.key_bound).toBe(true)
    expect(fromPage.every((headers) => !headers.has('authorization'))).toBe(true)
    expect(atRouter.at(-1)!.get('authorization')).toBe(`Bearer ${API_KEY}`)
  })

  it('cannot read the prompt or the answer: neither appears in anything it received, sent or logged', () => {
    expect(seen.filter((text) => text.startsWith('page → relay')).length).toBeGreaterThanOrEqual(2)
    const everything = [...seen, JSON.stringify(events)].join('\n')
    // The exchange did happen through it (the sealed package is there), yet no canary.
    expect(everything).toContain('encrypted_aes_key')
    expect(everything).not.toContain(PROMPT_CANARY)
    expect(everything).not.toContain(ANSWER_CANARY)
  })

  it('passes X-Payload-ID, X-Public-Key and X-Security-Tier through byte for byte', () => {
    const page = fromPage.at(-1)!
    const router = atRouter.at(-1)!
    for (const name of ['x-payload-id', 'x-public-key', 'x-security-tier', 'content-type']) {
      expect(page.get(name), name).toBeTruthy()
      expect(router.get(name), name).toBe(page.get(name))
    }
  })

  it('logs facts only: no content, no key, no API key', () => {
    const posted = events.find((event) => event.method === 'POST')!
    expect(posted).toMatchObject({ path: '/v1/chat/secure_completion', status: 200, payloadId: fromPage.at(-1)!.get('x-payload-id') })
    expect(posted.bytesIn).toBeGreaterThan(100)
    expect(posted.bytesOut).toBeGreaterThan(100)
    const log = JSON.stringify(events)
    for (const secret of [API_KEY, PROMPT_CANARY, ANSWER_CANARY, 'BEGIN PUBLIC KEY', 'PUBLIC%20KEY']) expect(log).not.toContain(secret)
  })
})

describe('relay: a relay that turns attacker', () => {
  it('swapping X-Public-Key for its own key gets nothing: key binding makes the router refuse before the completion runs', async () => {
    const swapping = createRelay({
      routerUrl,
      apiKey: API_KEY,
      allowHttp: true,
      fetch: (request) => {
        if (request.method !== 'POST') return fetch(request)
        const headers = new Headers(request.headers)
        headers.set('x-public-key', encodeURIComponent(routerPublicPem))
        return fetch(new Request(request, { headers }))
      },
    })
    const server = await start(swapping)
    const page = new SecureChatCompletion({ baseUrl: server.url, allowHttp: true, maxRetries: 0, keyBinding: 'require' })
    await page.client.loadKeys(clientPem)
    const before = completionsRun
    await expect(page.create({ model: 'm', messages: [{ role: 'user', content: PROMPT_CANARY }] })).rejects.toMatchObject({ status: 400 })
    expect(completionsRun).toBe(before)
  })
})

const relayFetch = (path: string, init: RequestInit = {}) => fetch(relayUrl + path, init)

describe('relay: what it refuses', () => {
  it('answers 401 when authorize says no, before anything reaches the router', async () => {
    const before = routerHits
    const response = await relayFetch('/pki/public_key', { headers: { cookie: 'session=denied' } })
    expect(response.status).toBe(401)
    expect(routerHits).toBe(before)
  })

  it('answers 404 for any other path and 405 for the wrong method', async () => {
    expect((await relayFetch('/v1/models')).status).toBe(404)
    expect((await relayFetch('/v1/chat/secure_completion')).status).toBe(405)
  })

  it('refuses a page from an origin it does not allow (403), preflight included', async () => {
    const before = routerHits
    expect((await relayFetch('/pki/public_key', { headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect((await relayFetch('/pki/public_key', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect(routerHits).toBe(before)
  })

  it('answers 413 for a package over the limit, by Content-Length and by counting a stream', async () => {
    const tiny = createRelay({ routerUrl: 'https://router.invalid', maxBodyBytes: 1000, fetch: () => Promise.reject(new Error('never')) })
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      tiny(new Request('https://relay.example/v1/chat/secure_completion', { method: 'POST', body, headers, duplex: 'half' } as RequestInit))
    expect((await post('x', { 'content-length': '5000' })).status).toBe(413)
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        pulled++
        controller.enqueue(new Uint8Array(400))
      },
    })
    expect((await post(endless)).status).toBe(413)
    expect(pulled).toBeLessThan(10)
  })
})

describe('relay: a router that is down or slow', () => {
  it('answers 502 when the router cannot be reached and 504 when it does not answer in time', async () => {
    const down = createRelay({ routerUrl: 'http://127.0.0.1:1', allowHttp: true })
    expect((await down(new Request('https://relay.example/pki/public_key'))).status).toBe(502)
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(new Error('aborted'))))
    const slow = createRelay({ routerUrl: 'https://router.invalid', timeout: 50, fetch: hanging })
    expect((await slow(new Request('https://relay.example/pki/public_key'))).status).toBe(504)
  })
})

describe('relay: bounded answers', () => {
  it('cuts a router answer past the limit instead of passing it on, and still reports the request', async () => {
    const reported: RelayEvent[] = []
    const relay = createRelay({
      routerUrl: 'https://router.invalid',
      maxBodyBytes: 1000,
      fetch: async () => new Response(new Uint8Array(5000)),
      onRequest: (event) => reported.push(event),
    })
    const response = await relay(new Request('https://relay.example/pki/public_key'))
    await expect(response.arrayBuffer()).rejects.toThrow()
    expect(reported).toMatchObject([{ path: '/pki/public_key', status: 200 }])
    expect(reported[0]!.bytesOut).toBeGreaterThan(1000)
  })
})

describe('relay: CORS and the router answer headers', () => {
  it('answers the preflight of an allowed origin with the protocol headers', async () => {
    const response = await relayFetch('/v1/chat/secure_completion', {
      method: 'OPTIONS',
      headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN)
    expect(response.headers.get('access-control-allow-headers')).toMatch(/X-Payload-ID.*X-Public-Key.*X-Security-Tier/)
  })

  it("passes the router's own headers and exposes them to the page; drops hop-by-hop ones and cookies", async () => {
    const response = await relayFetch('/pki/public_key', { headers: { origin: PAGE_ORIGIN } })
    expect(await response.text()).toBe(routerPublicPem)
    expect(response.headers.get('x-router-extension')).toBe('ext-1')
    expect(response.headers.get('x-nomyo-key-binding')).toBe('v1')
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-nomyo-key-binding/)
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-router-extension/)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN)
  })
})

describe('relay: never follows a redirect', () => {
  it('answers 502 and the redirect target is never reached', async () => {
    let reachedTarget = 0
    const target = await start(async () => {
      reachedTarget++
      return new Response('gotcha')
    })
    const redirecting = await start(async () => new Response(null, { status: 307, headers: { location: `${target.url}/pki/public_key` } }))
    const relay = createRelay({ routerUrl: redirecting.url, apiKey: API_KEY, allowHttp: true })
    const response = await relay(new Request('https://relay.example/pki/public_key'))
    expect(response.status).toBe(502)
    expect(response.headers.get('location')).toBeNull()
    expect(reachedTarget).toBe(0)
  })

  it('refuses an http:// router URL unless allowHttp is set (the API key would travel in clear)', () => {
    expect(() => createRelay({ routerUrl: 'http://router.example', apiKey: API_KEY })).toThrow(/allowHttp/)
  })
})
