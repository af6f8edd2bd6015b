/**
 * Findings 4, 5 and 6 of issue #12, played against the real router handler behind `serve()` on
 * 127.0.0.1: a router must refuse by its headers before it reads a body, read a body counted and
 * cut at its limit, and never run a completion whose answer it could not seal to a sound key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/client/secure-completion-client.js'
import { apiKeyChecker } from '../../src/router/api-key.js'
import { clientPublicPem, routerPublicPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'
import { rawPost, rsaKeyHeader, zeros } from './support.js'

const API_KEY = 'sk-router-limits-test'
const LIMIT = 1024 * 1024
const MB400 = 400 * 1024 * 1024
const warnings: string[] = []
let router: TestRouter
let url = ''
let sealed: Uint8Array

const headers = (extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/octet-stream',
  'X-Payload-ID': 'limits-test',
  'X-Public-Key': encodeURIComponent(clientPublicPem),
  Authorization: `Bearer ${API_KEY}`,
  ...extra,
})

beforeAll(async () => {
  router = await startRouter({
    apiKey: API_KEY,
    maxBodyBytes: LIMIT,
    logger: { warn: (message) => warnings.push(message) },
    complete: async (request) => {
      if (request.model === 'unsealable') return { id: 'x', usage: 10n }
      return { id: 'chatcmpl-limits', object: 'chat.completion', created: 0, model: String(request.model), choices: [] }
    },
  })
  url = `${router.url}/v1/chat/secure_completion`
  const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true, routerPublicKey: routerPublicPem })
  sealed = await client.encryptPayload({ model: 'm', messages: [{ role: 'user', content: 'the secret prompt' }] })
})
afterAll(() => router.close())

describe('finding 4: the router refuses by its headers before reading the body', () => {
  it('no API key and a 400 MB Content-Length: 401 at once, the body never read', async () => {
    const { Authorization: _, ...noKey } = headers()
    const answer = await rawPost(url, { ...noKey, 'Content-Length': String(MB400) }, () => zeros(MB400), {
      timeoutMs: 5000,
      stallAfter: LIMIT,
    })
    expect(answer.status).toBe(401)
    expect(answer.sent).toBeLessThan(64 * 1024 * 1024)
  })

  it('a valid key and a Content-Length over the limit: 413 at once, the body never read', async () => {
    const answer = await rawPost(url, headers({ 'Content-Length': String(MB400) }), () => zeros(MB400), {
      timeoutMs: 5000,
      stallAfter: LIMIT,
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Request package too large' })
    expect(answer.sent).toBeLessThan(64 * 1024 * 1024)
  })

  it('a valid key and a chunked body (no Content-Length): cut at the limit with 413, no completion', async () => {
    const before = router.requests.length
    const answer = await rawPost(url, headers(), () => zeros(64 * LIMIT), { timeoutMs: 5000 })
    expect(answer.status).toBe(413)
    expect(answer.sent).toBeLessThan(64 * LIMIT)
    expect(router.requests.length).toBe(before)
  })

  it('answers a normal request right after, on a new connection', async () => {
    const answer = await rawPost(url, headers({ 'Content-Length': String(sealed.length) }), sealed)
    expect(answer.status).toBe(200)
  })
})

describe('finding 5: the router checks X-Public-Key fully before opening the body', () => {
  it.each([
    ['e = 1 (the answer would travel in the clear)', { bits: 2048, exponent: 1 }],
    ['an even exponent', { bits: 2048, exponent: 65536 }],
    ['an even modulus', { bits: 2048, exponent: 65537, evenModulus: true }],
    ['a 1024-bit modulus', { bits: 1024, exponent: 65537 }],
    ['a 20,000-bit modulus', { bits: 20000, exponent: 65537 }],
  ])('%s: 400 and the completion never runs', async (_, key) => {
    const before = router.requests.length
    const answer = await rawPost(url, headers({ 'X-Public-Key': rsaKeyHeader(key), 'Content-Length': String(sealed.length) }), sealed)
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).detail).toMatch(/^Invalid X-Public-Key header: /)
    expect(router.requests.length).toBe(before)
  })

  it('a sound 2048-bit key with e = 3 is accepted (the bounds are not too tight)', async () => {
    const answer = await rawPost(
      url,
      headers({ 'X-Public-Key': rsaKeyHeader({ bits: 2048, exponent: 3 }), 'Content-Length': String(sealed.length) }),
      sealed,
    )
    expect(answer.status).toBe(200)
  })

  it('a completion whose answer cannot be sealed: JSON 500, logged without content', async () => {
    const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true, routerPublicKey: routerPublicPem })
    const body = await client.encryptPayload({ model: 'unsealable', messages: [{ role: 'user', content: 'the secret prompt' }] })
    const answer = await rawPost(url, headers({ 'Content-Length': String(body.length) }), body)
    expect(answer.status).toBe(500)
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Internal error while sealing the answer' })
    expect(warnings.at(-1)).toMatch(/sealing the answer failed/)
    expect(warnings.join('\n')).not.toMatch(/secret|unsealable|10/)
  })
})

describe('finding 6: the API key comparison', () => {
  it('accepts exactly `Bearer <key>` and nothing near it, by comparing SHA-256 digests', async () => {
    const check = apiKeyChecker(API_KEY)
    expect(await check(`Bearer ${API_KEY}`)).toBe(true)
    for (const wrong of [null, '', API_KEY, `Bearer ${API_KEY} `, `Bearer ${API_KEY.slice(0, -1)}`, `bearer ${API_KEY}`]) {
      expect(await check(wrong)).toBe(false)
    }
  })
})
