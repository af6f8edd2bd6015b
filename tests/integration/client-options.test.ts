/**
 * The `openai` package's conventions where the reference client has none: per-request `headers`,
 * `maxRetries`, `timeout` and `signal`; `withOptions()` copies that share the key pair and the
 * cached router key; the default router URL; `VERSION`.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  SecureChatCompletion,
  SecureCompletionClient,
  ServiceUnavailableError,
  VERSION,
  createSecureFetch,
} from '../../src/runtime/node.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

/** Headers of every POST that reached the router, and what it answers next (before its handler). */
const seen: Headers[] = []
let script: Array<() => Response> = []
let router: TestRouter
let second: TestRouter
const count = (r: TestRouter, method: string) => r.hits.filter((hit) => hit.method === method).length

beforeAll(async () => {
  router = await startRouter({
    apiKey: 'sk-main',
    before: (request) => {
      if (request.method !== 'POST') return undefined
      seen.push(new Headers(request.headers))
      return script.shift()?.()
    },
  })
  second = await startRouter()
})
afterAll(async () => {
  await router.close()
  await second.close()
})

const params = { model: 'm', messages: [{ role: 'user' as const, content: 'hello' }] }
async function chat(options: Record<string, unknown> = {}) {
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, apiKey: 'sk-main', maxRetries: 0, ...options })
  await client.client.loadKeys(clientPem)
  return client
}

describe('per-request options', () => {
  it('client and request headers are sent; the protocol headers cannot be replaced', async () => {
    const client = await chat({ headers: { 'X-Client': 'a', 'X-Both': 'client' } })
    const answer = await client.create(params, {
      headers: { 'X-Request': 'b', 'X-Both': 'request', 'Content-Type': 'text/plain', 'X-Public-Key': 'forged', Authorization: 'Bearer x' },
    })
    expect(answer.choices[0]!.message.content).toBe('echo: hello')
    const headers = seen.at(-1)!
    expect(headers.get('x-client')).toBe('a')
    expect(headers.get('x-request')).toBe('b')
    expect(headers.get('x-both')).toBe('request')
    expect(headers.get('content-type')).toBe('application/octet-stream')
    expect(decodeURIComponent(headers.get('x-public-key')!)).toBe((await client.client.publicKey()).publicKeyPem)
    expect(headers.get('authorization')).toBe('Bearer sk-main')
    expect(headers.get('x-payload-id')).toBe(answer._metadata.payload_id)
  })

  it('maxRetries per request overrides the client (both ways)', async () => {
    const busy = () => new Response(JSON.stringify({ detail: 'busy' }), { status: 503, headers: { 'retry-after-ms': '5' } })
    const client = await chat({ maxRetries: 0 })
    script = [busy]
    const before = count(router, 'POST')
    await client.create(params, { maxRetries: 1 })
    expect(count(router, 'POST') - before).toBe(2)
    const eager = await chat({ maxRetries: 3 })
    script = [busy, busy]
    await expect(eager.create(params, { maxRetries: 0 })).rejects.toBeInstanceOf(ServiceUnavailableError)
    expect(script).toHaveLength(1)
    script = []
  })

  it('a bad per-request maxRetries is a TypeError before anything is sent', async () => {
    const client = await chat()
    const before = count(router, 'POST')
    await expect(client.create(params, { maxRetries: -1 })).rejects.toThrow(TypeError)
    expect(count(router, 'POST')).toBe(before)
  })
})

describe('withOptions()', () => {
  it('shares the key pair and the cached router key; changes only what it is given', async () => {
    const client = await chat()
    await client.create(params)
    const gets = count(router, 'GET')
    const copy = client.withOptions({ headers: { 'X-Copy': '1' }, timeout: 5_000 })
    expect(copy).toBeInstanceOf(SecureChatCompletion)
    expect(copy).not.toBe(client)
    const answer = await copy.create(params)
    expect(answer.choices[0]!.message.content).toBe('echo: hello')
    expect(seen.at(-1)!.get('x-copy')).toBe('1')
    expect(count(router, 'GET')).toBe(gets)
    expect((await copy.client.publicKey()).fingerprint).toBe((await client.client.publicKey()).fingerprint)
    // A rotation through either is the other's too: one key pair.
    const rotated = await copy.client.rotateKeys()
    expect((await client.client.publicKey()).fingerprint).toBe(rotated.fingerprint)
    await client.client.loadKeys(clientPem)
  })

  it('apiKey and baseUrl overrides: another key, another router, still the same key pair', async () => {
    const client = await chat()
    await expect(client.withOptions({ apiKey: 'sk-wrong' }).create(params)).rejects.toBeInstanceOf(AuthenticationError)
    const elsewhere = client.withOptions({ baseUrl: second.url })
    expect(elsewhere.client.routerUrl).toBe(second.url)
    await elsewhere.create(params)
    expect(second.requests.at(-1)!.apiKey).toBe('sk-main')
    expect(count(second, 'GET')).toBe(1)
    expect((await elsewhere.client.publicKey()).fingerprint).toBe((await client.client.publicKey()).fingerprint)
  })

  it('SecureCompletionClient.withOptions() the same way', async () => {
    const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
    await client.loadKeys(clientPem)
    const copy = client.withOptions({ maxRetries: 0 })
    expect(copy.routerUrl).toBe(client.routerUrl)
    expect(copy.keyStore).toBe(client.keyStore)
    expect(await copy.fetchServerPublicKey()).toBe(await client.fetchServerPublicKey())
  })

  it('an http:// override still needs allowHttp', () => {
    const client = new SecureChatCompletion({ baseUrl: 'https://router.invalid' })
    expect(() => client.withOptions({ baseUrl: router.url })).toThrow(/allowHttp/)
  })
})

describe('defaults', () => {
  it("every entry point defaults to the reference client's router, https://api.nomyo.ai:12435", () => {
    // No NOMYO_BASE_URL here: the variable would be the default (see env tests).
    const saved = process.env.NOMYO_BASE_URL
    delete process.env.NOMYO_BASE_URL
    try {
      expect(new SecureChatCompletion().client.routerUrl).toBe('https://api.nomyo.ai:12435')
      expect(new SecureCompletionClient().routerUrl).toBe('https://api.nomyo.ai:12435')
      expect(createSecureFetch().client.routerUrl).toBe('https://api.nomyo.ai:12435')
    } finally {
      if (saved !== undefined) process.env.NOMYO_BASE_URL = saved
    }
  })

  it('VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})
