/** HTTP statuses, retries, timeouts and aborts: each ends in the documented error class. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  SecureChatCompletion,
  SecurityError,
  ServerError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../../src/runtime/node.js'
import { startRouter, type TestRouter } from '../helpers/router.js'
import { clientPem } from '../helpers/keys.js'
import { serve } from '../../src/runtime/node-server.js'

/** What the router does next to POSTs, set per test. */
let script: Array<(request: Request) => Response | Promise<Response> | undefined> = []
let router: TestRouter
const posts = () => router.hits.filter((h) => h.method === 'POST').length

beforeAll(async () => {
  router = await startRouter({ before: (request) => (request.method === 'POST' ? script.shift()?.(request) : undefined) })
})
afterAll(() => router.close())

async function makeClient(options: Record<string, unknown> = {}) {
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, maxRetries: 0, ...options })
  await client.client.loadKeys(clientPem)
  return client
}
const ask = (client: SecureChatCompletion, options = {}) =>
  client.create({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }, options)
const detail =
  (status: number, text: string, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify({ detail: text }), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('status → error class', () => {
  it.each([
    [400, InvalidRequestError, 'ERR_INVALID_REQUEST'],
    [401, AuthenticationError, 'ERR_AUTHENTICATION'],
    [403, ForbiddenError, 'ERR_FORBIDDEN'],
    [404, NotFoundError, 'ERR_NOT_FOUND'],
    [409, ConflictError, 'ERR_CONFLICT'],
    [422, UnprocessableEntityError, 'ERR_UNPROCESSABLE_ENTITY'],
    [429, RateLimitError, 'ERR_RATE_LIMIT'],
    [500, ServerError, 'ERR_SERVER'],
    [503, ServiceUnavailableError, 'ERR_SERVICE_UNAVAILABLE'],
    [502, ServerError, 'ERR_SERVER'],
    [418, APIError, 'ERR_API'],
    [507, ServerError, 'ERR_SERVER'],
  ])('%i', async (status, ErrorClass, code) => {
    script = [detail(status, `router says ${status}`)]
    const error = await ask(await makeClient()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toMatchObject({ status, statusCode: status, details: `router says ${status}`, code })
    expect((error as APIError).errorDetails).toEqual({ detail: `router says ${status}` })
    expect((error as Error).message).toContain(`router says ${status}`)
    expect((error as Error).name).toBe(ErrorClass.name)
  })

  it('keeps a non-JSON error body as short text details', async () => {
    script = [() => new Response('<html>bad gateway</html>', { status: 502 })]
    await expect(ask(await makeClient())).rejects.toMatchObject({ status: 502, details: '<html>bad gateway</html>' })
  })
})

describe('retries', () => {
  it.each([408, 429, 502, 503, 504])('retries %i and then succeeds', async (status) => {
    script = [detail(status, 'busy', { 'retry-after': '0' }), detail(status, 'busy', { 'retry-after': '0' })]
    const before = posts()
    const answer = await ask(await makeClient({ maxRetries: 2 }))
    expect(answer.choices[0]!.message.content).toBe('echo: hello')
    expect(posts() - before).toBe(3)
  })

  it.each([400, 401, 403, 404, 500])('never retries %i', async (status) => {
    script = [detail(status, 'no'), detail(status, 'no')]
    const before = posts()
    await expect(ask(await makeClient({ maxRetries: 3 }))).rejects.toMatchObject({ status })
    // A 400 is refetched once for key rotation, but the key is unchanged, so nothing is resent.
    expect(posts() - before).toBe(1)
    script = []
  })

  it('gives up after maxRetries with the last error', async () => {
    script = Array.from({ length: 5 }, () => detail(503, 'down', { 'retry-after': '0' }))
    const before = posts()
    await expect(ask(await makeClient({ maxRetries: 2 }))).rejects.toBeInstanceOf(ServiceUnavailableError)
    expect(posts() - before).toBe(3)
    script = []
  })

  it('waits as long as Retry-After says (seconds)', async () => {
    script = [detail(429, 'slow down', { 'retry-after': '1' })]
    const started = Date.now()
    await ask(await makeClient({ maxRetries: 1 }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('waits as long as Retry-After says (HTTP date)', async () => {
    const when = new Date(Date.now() + 2000).toUTCString()
    script = [detail(503, 'later', { 'retry-after': when })]
    const started = Date.now()
    await ask(await makeClient({ maxRetries: 1 }))
    // An HTTP date has one-second resolution.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('surfaces a Retry-After beyond a minute instead of waiting', async () => {
    script = [detail(429, 'come back tomorrow', { 'retry-after': '86400' })]
    const error = await ask(await makeClient({ maxRetries: 3 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(86_400_000)
  })

  it('backs off exponentially without Retry-After', async () => {
    script = [detail(503, 'x'), detail(503, 'x')]
    const started = Date.now()
    await ask(await makeClient({ maxRetries: 2 }))
    // 500 ms and 1000 ms, each with at most 25 % jitter taken off.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100)
  })

  it('retries a refused connection, then reports APIConnectionError', async () => {
    const closed = await serve(async () => new Response('x'))
    await closed.close()
    const client = new SecureChatCompletion({ baseUrl: closed.url, allowHttp: true, maxRetries: 1 })
    const started = Date.now()
    const error = await ask(client).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error).not.toBeInstanceOf(APITimeoutError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
  })
})

describe('timeouts and aborts', () => {
  const stall = () => new Promise<Response>(() => {})
  it('times out a router that never answers', async () => {
    script = [stall]
    const started = Date.now()
    const error = await ask(await makeClient({ timeout: 300 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APITimeoutError)
    expect((error as APITimeoutError).code).toBe('ERR_TIMEOUT')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('times out a body that stalls after the headers', async () => {
    script = [() => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"version"')) }), { status: 200 })]
    await expect(ask(await makeClient({ timeout: 300 }))).rejects.toBeInstanceOf(APITimeoutError)
  })

  it('a per-request timeout overrides the client one', async () => {
    script = [stall]
    await expect(ask(await makeClient({ timeout: 60_000 }), { timeout: 200 })).rejects.toBeInstanceOf(APITimeoutError)
  })

  it('aborts when the caller aborts', async () => {
    script = [stall]
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const error = await ask(await makeClient(), { signal: controller.signal }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APIUserAbortError)
    expect(error).not.toBeInstanceOf(APITimeoutError)
  })

  it('an already aborted signal sends nothing', async () => {
    const before = posts()
    await expect(ask(await makeClient(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError)
    expect(posts()).toBe(before)
  })

  it('aborts during a retry backoff', async () => {
    script = [detail(503, 'x', { 'retry-after': '30' })]
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const started = Date.now()
    await expect(ask(await makeClient({ maxRetries: 2 }), { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('transport safety', () => {
  it('refuses http:// without allowHttp before any request', () => {
    expect(() => new SecureChatCompletion({ baseUrl: router.url })).toThrow(SecurityError)
    expect(() => new SecureChatCompletion({ baseUrl: 'ftp://example.com' })).toThrow(TypeError)
  })

  it('refuses a per-call http base_url without allowHttp', async () => {
    const client = new SecureChatCompletion({ baseUrl: 'https://router.invalid' })
    await expect(client.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], base_url: router.url })).rejects.toThrow(
      SecurityError,
    )
  })

  it('does not follow redirects', async () => {
    script = [() => new Response(null, { status: 307, headers: { location: 'http://127.0.0.2:1/steal' } })]
    const error = await ask(await makeClient()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).status).toBe(307)
    expect((error as Error).message).toMatch(/redirect/)
  })

  it('stops reading an answer larger than maxResponseBytes', async () => {
    script = [() => new Response(new Uint8Array(2 * 1024 * 1024).fill(65), { status: 200 })]
    await expect(ask(await makeClient({ maxResponseBytes: 1024 * 1024 }))).rejects.toThrow(ProtocolError)
  })

  it('a 200 that is not a package is a ProtocolError', async () => {
    script = [() => new Response('{"hello":"world"}', { status: 200 })]
    await expect(ask(await makeClient())).rejects.toThrow(ProtocolError)
  })

  it('rejects bad option values with TypeError', () => {
    expect(() => new SecureChatCompletion({ timeout: -1 })).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ maxRetries: Number.NaN })).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ apiKey: 'a\r\nX-Evil: 1' })).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ routerKeyPins: ['not-hex'] })).toThrow(TypeError)
  })
})
