/** The secure fetch as a `fetch`: inputs, headers, signals, unbound calls, routing and error answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecureFetch, SecurityError, type SecureFetch } from '../../src/index.js'
import { echoCompletion } from '../helpers/router.js'
import { containsBytes, detail, secureFetchFor, startWireRouter, toolCallCompletion, type WireRouter } from './setup.js'

let router: WireRouter
let secureFetch: SecureFetch
/** What the router does with the next secure POSTs; `undefined` lets the real handler answer. */
let script: Array<() => Response | undefined> = []
let delayMs = 0

beforeAll(async () => {
  router = await startWireRouter({
    reject: () => script.shift()?.(),
    complete: async (request) => {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs))
      return request.tools ? toolCallCompletion(request) : echoCompletion(request)
    },
  })
  secureFetch = await secureFetchFor(router)
})
afterAll(() => router.close())

const url = () => `${router.url}/v1/chat/completions`
const body = (content = 'hi', extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'm', messages: [{ role: 'user', content }], ...extra })
const last = () => router.requests.at(-1)!

describe('inputs a fetch accepts', () => {
  it('string URL with a plain header record', async () => {
    const response = await secureFetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-a' },
      body: body('one'),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('echo: one')
    expect(last().apiKey).toBe('sk-a')
  })

  it('URL object with a Headers object', async () => {
    const headers = new Headers({ Authorization: 'Bearer sk-b', 'X-Security-Tier': 'high' })
    const response = await secureFetch(new URL(url()), { method: 'POST', headers, body: body('two') })
    expect(response.status).toBe(200)
    expect(last()).toMatchObject({ apiKey: 'sk-b', tier: 'high' })
  })

  it('header pairs and a Uint8Array body', async () => {
    const response = await secureFetch(url(), {
      method: 'POST',
      headers: [['authorization', 'Bearer sk-c']],
      body: new TextEncoder().encode(body('three')),
    })
    expect(response.status).toBe(200)
    expect(last()).toMatchObject({ apiKey: 'sk-c', body: { messages: [{ content: 'three' }] } })
  })

  it('a Request object as input', async () => {
    const request = new Request(url(), { method: 'POST', headers: { authorization: 'Bearer sk-d' }, body: body('four') })
    const response = await secureFetch(request)
    expect(response.status).toBe(200)
    expect(last()).toMatchObject({ apiKey: 'sk-d', body: { messages: [{ content: 'four' }] } })
  })

  it('works called unbound, as SDKs call fetch', async () => {
    const response = await secureFetch.call(undefined, url(), { method: 'POST', body: body('five') })
    expect(response.status).toBe(200)
    const detached = secureFetch
    expect((await detached(url(), { method: 'POST', body: body('six') })).status).toBe(200)
  })
})

describe('what is sent', () => {
  it('stream, stream_options and security_tier never reach the payload; the tier goes to the header', async () => {
    await secureFetch(url(), {
      method: 'POST',
      body: body('seven', { stream: true, stream_options: { include_usage: true }, security_tier: 'maximum' }),
    })
    expect(last().tier).toBe('maximum')
    expect(last().body.stream).toBe(false)
    expect(last().body).not.toHaveProperty('stream_options')
    expect(last().body).not.toHaveProperty('security_tier')
  })

  it('options.apiKey and options.securityTier apply; the X-Security-Tier header overrides the tier', async () => {
    const configured = await secureFetchFor(router, { apiKey: 'sk-configured', securityTier: 'standard' })
    await configured(url(), { method: 'POST', headers: { authorization: 'Bearer placeholder' }, body: body() })
    expect(last()).toMatchObject({ apiKey: 'sk-configured', tier: 'standard' })
    await configured(url(), { method: 'POST', headers: { 'x-security-tier': 'high' }, body: body() })
    expect(last().tier).toBe('high')
  })

  it('only the sealed package crosses the network', async () => {
    const secret = 'the vault combination is 31-41-59'
    await secureFetch(url(), { method: 'POST', body: body(secret) })
    const wire = router.wire.at(-1)!
    expect(containsBytes(wire, secret)).toBe(false)
    expect(containsBytes(wire, 'vault')).toBe(false)
  })
})

describe('stream: true', () => {
  it('answers an event stream of chunks ending with [DONE]', async () => {
    const response = await secureFetch(url(), {
      method: 'POST',
      body: body('eight', { stream: true, stream_options: { include_usage: true } }),
    })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const text = await response.text()
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true)
    const events = text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ''))
    const chunks = events
      .slice(0, -1)
      .map((e) => JSON.parse(e) as { object: string; choices: Array<{ delta: { content?: string } }>; usage: unknown })
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: eight')
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true)
  })

  it('without include_usage there is no usage chunk', async () => {
    const text = await (await secureFetch(url(), { method: 'POST', body: body('nine', { stream: true }) })).text()
    expect(text).not.toContain('"usage"')
  })
})

describe('refusals and errors', () => {
  it.each([
    ['GET', '/v1/chat/completions'],
    ['POST', '/v1/embeddings'],
    ['POST', '/v1/completions'],
    ['GET', '/v1/models'],
  ])('%s %s is answered 404 without sending anything', async (method, path) => {
    const before = router.hits.length
    const response = await secureFetch(`${router.url}${path}`, { method, ...(method === 'POST' ? { body: body('never sent') } : {}) })
    expect(response.status).toBe(404)
    const error = ((await response.json()) as { error: { message: string; type: string; code: string } }).error
    expect(error).toMatchObject({ type: 'not_found_error', code: 'ERR_NOT_FOUND' })
    expect(error.message).toContain(path)
    expect(error.message).not.toContain('never sent')
    expect(router.hits.length).toBe(before)
  })

  it('router errors keep their status, detail and Retry-After', async () => {
    script = [() => detail(429, 'slow down', { 'retry-after': '3' })]
    const response = await secureFetch(url(), { method: 'POST', body: body() })
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('3')
    expect(response.headers.get('retry-after-ms')).toBe('3000')
    expect(response.headers.get('x-should-retry')).toBeNull()
    const error = ((await response.json()) as { error: { message: string; type: string; code: string } }).error
    expect(error).toMatchObject({ type: 'rate_limit_error', code: 'ERR_RATE_LIMIT' })
    expect(error.message).toContain('slow down')
  })

  it("the router's x-should-retry reaches the SDK", async () => {
    script = [() => detail(503, 'draining', { 'x-should-retry': 'false' })]
    const response = await secureFetch(url(), { method: 'POST', body: body() })
    expect(response.status).toBe(503)
    expect(response.headers.get('x-should-retry')).toBe('false')
  })

  it('a body that is not JSON is 400 and does not quote the body', async () => {
    const response = await secureFetch(url(), { method: 'POST', body: '{"messages": secret-text' })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-should-retry')).toBe('false')
    expect(await response.text()).not.toContain('secret-text')
  })

  it('an unknown tier is 400 before anything is sent', async () => {
    const posts = router.posts
    const response = await secureFetch(url(), { method: 'POST', headers: { 'x-security-tier': 'ultra' }, body: body() })
    expect(response.status).toBe(400)
    expect(router.posts).toBe(posts)
  })

  it('a security failure is 421 with x-should-retry: false', async () => {
    const pinned = await secureFetchFor(router, { routerKeyPins: ['ab'.repeat(32)] })
    const response = await pinned(url(), { method: 'POST', body: body() })
    expect(response.status).toBe(421)
    expect(response.headers.get('x-should-retry')).toBe('false')
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ type: 'security_error', code: 'ERR_SECURITY' })
  })

  it('plain http without allowHttp is refused when the fetch is created', () => {
    expect(() => createSecureFetch({ baseUrl: router.url })).toThrow(SecurityError)
  })

  it('an aborted signal rejects with an AbortError, like fetch', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(secureFetch(url(), { method: 'POST', body: body(), signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    })
    delayMs = 1000
    try {
      const later = new AbortController()
      setTimeout(() => later.abort(), 50)
      const error = await secureFetch(url(), { method: 'POST', body: body(), signal: later.signal }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DOMException)
      expect(error).toMatchObject({ name: 'AbortError' })
    } finally {
      delayMs = 0
    }
  })

  it('the client timeout rejects with a TimeoutError', async () => {
    const slow = await secureFetchFor(router, { timeout: 50 })
    delayMs = 500
    try {
      await expect(slow(url(), { method: 'POST', body: body() })).rejects.toMatchObject({ name: 'TimeoutError' })
    } finally {
      delayMs = 0
    }
  })

  it('an unreachable router rejects with TypeError("fetch failed"), like fetch', async () => {
    const closed = await startWireRouter()
    const unreachable = await secureFetchFor(closed)
    await closed.close()
    const error = await unreachable(url(), { method: 'POST', body: body() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe('fetch failed')
  })
})
