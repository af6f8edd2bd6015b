/**
 * The reference client's per-call fields in an SDK body (`extra_body` in Python's `openai`, spread
 * params in JS) are options, not model input: the secure fetch takes `api_key`, `base_url` and
 * `security_tier` out before sealing, and the tier and key travel in their headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecureFetch, type SecureFetch } from '../../src/runtime/node.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

let router: TestRouter
let secureFetch: SecureFetch

beforeAll(async () => {
  router = await startRouter()
  secureFetch = createSecureFetch({ baseUrl: router.url, allowHttp: true, apiKey: 'sk-configured' })
  await secureFetch.client.loadKeys(clientPem)
})
afterAll(() => router.close())

const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  secureFetch(`${router.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-placeholder', ...headers },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body }),
  })

describe('per-call fields in an SDK body', () => {
  it('api_key, base_url and security_tier are never sealed; the tier becomes X-Security-Tier, api_key the bearer', async () => {
    const response = await post({ api_key: 'sk-per-call', base_url: 'https://elsewhere.invalid', security_tier: 'maximum', temperature: 0 })
    expect(response.status).toBe(200)
    const { body, tier, apiKey } = router.requests.at(-1)!
    expect(body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0, stream: false })
    expect(tier).toBe('maximum')
    expect(apiKey).toBe('sk-per-call')
  })

  it('without them: the configured key, the header tier', async () => {
    expect((await post({}, { 'x-security-tier': 'high' })).status).toBe(200)
    expect(router.requests.at(-1)).toMatchObject({ tier: 'high', apiKey: 'sk-configured' })
    expect(router.requests.at(-1)!.body).not.toHaveProperty('api_key')
  })

  it('an api_key that is not a header-safe string is a 400, and nothing is sent', async () => {
    const before = router.requests.length
    const response = await post({ api_key: 'sk\r\nX-Evil: 1' })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_INVALID_REQUEST')
    expect(router.requests.length).toBe(before)
  })
})
