/**
 * Whatever JSON object the router seals comes back, as from the reference client: sendSecureRequest()
 * and decryptResponse() return it with `_metadata` merged in; only create() insists on a chat
 * completion, and then the error holds the object (never its message).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ProtocolError,
  SecureChatCompletion,
  SecureCompletionClient,
  UnexpectedResponseError,
  createSecureFetch,
} from '../../src/runtime/node.js'
import { clientPem } from '../helpers/keys.js'
import { echoCompletion, startRouter, type TestRouter } from '../helpers/router.js'

/** What the router's completion function answers next; the echo completion when empty. */
let next: unknown[] = []
let router: TestRouter

beforeAll(async () => {
  router = await startRouter({ complete: async (request) => (next.length ? next.shift() : echoCompletion(request)) })
})
afterAll(() => router.close())

const params = { model: 'm', messages: [{ role: 'user' as const, content: 'hello' }] }
async function chat() {
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, maxRetries: 0 })
  await client.client.loadKeys(clientPem)
  return client
}

describe('answers that are not chat completions', () => {
  it('sendSecureRequest returns a sealed error object as it is, with _metadata', async () => {
    next = [{ detail: 'model overloaded', retry: true }]
    const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
    await client.loadKeys(clientPem)
    const answer = await client.sendSecureRequest(params, crypto.randomUUID())
    expect(answer).toMatchObject({ detail: 'model overloaded', retry: true })
    expect(answer._metadata).toMatchObject({ is_encrypted: true, encryption_algorithm: 'hybrid-aes256-rsa4096' })
    expect(typeof answer._metadata.processed_at).toBe('number')
  })

  it('create() rejects a sealed {"detail": ...} with an UnexpectedResponseError that holds it', async () => {
    next = [{ detail: 'the model said something private' }]
    const error = (await (await chat()).create(params).catch((e: unknown) => e)) as UnexpectedResponseError
    expect(error).toBeInstanceOf(UnexpectedResponseError)
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE')
    expect(error.response.detail).toBe('the model said something private')
    expect(error.response._metadata).toMatchObject({ is_encrypted: true })
    expect(error.message).not.toContain('private')
    expect(JSON.stringify(error)).not.toContain('private')
  })

  it('create() also refuses choices that are not an array of objects', async () => {
    next = [{ choices: 'none' }, { choices: [1] }]
    const client = await chat()
    await expect(client.create(params)).rejects.toBeInstanceOf(UnexpectedResponseError)
    await expect(client.chat.completions.create(params)).rejects.toBeInstanceOf(UnexpectedResponseError)
  })

  it('the secure fetch answers a sealed non-completion as a 421 protocol error, without its content', async () => {
    next = [{ detail: 'private detail' }]
    const secureFetch = createSecureFetch({ baseUrl: router.url, allowHttp: true })
    await secureFetch.client.loadKeys(clientPem)
    const response = await secureFetch(`${router.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(params) })
    expect(response.status).toBe(421)
    const text = await response.text()
    expect(JSON.parse(text).error).toMatchObject({ type: 'protocol_error', code: 'ERR_UNEXPECTED_RESPONSE' })
    expect(text).not.toContain('private')
  })
})

describe('_metadata like the reference client', () => {
  it("keeps the router's own _metadata keys; ours are written over its", async () => {
    next = [{ ...echoCompletion(params), _metadata: { region: 'eu-1', cache: { hit: false }, payload_id: 'forged', is_encrypted: false } }]
    const answer = await (await chat()).create(params)
    expect(answer._metadata.region).toBe('eu-1')
    expect(answer._metadata.cache).toEqual({ hit: false })
    expect(answer._metadata.payload_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(answer._metadata.is_encrypted).toBe(true)
    expect(answer._metadata.encryption_algorithm).toBe('hybrid-aes256-rsa4096')
  })

  it('a _metadata that is not an object is replaced', async () => {
    next = [{ ...echoCompletion(params), _metadata: ['not', 'an', 'object'] }]
    const answer = await (await chat()).create(params)
    // key_bound: this router advertises key binding (SECURITY.md).
    expect(Object.keys(answer._metadata).sort()).toEqual([
      'encryption_algorithm',
      'is_encrypted',
      'key_bound',
      'payload_id',
      'processed_at',
    ])
  })

  it('an answer that is JSON but not an object is a ProtocolError', async () => {
    next = [['a', 'list']]
    await expect((await chat()).create(params)).rejects.toThrow(/not a JSON object/)
  })
})
