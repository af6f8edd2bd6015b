/**
 * What a porting user reads off an error, as in the reference Python client and the `openai`
 * package: `statusCode`, `errorDetails` (the whole body), `headers`, `requestId`; 409/422 caught
 * as invalid requests; and the router deciding retries with `x-should-retry` and `retry-after-ms`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  type APIError,
  ConflictError,
  InvalidRequestError,
  SecureChatCompletion,
  type ServerError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../../src/runtime/node.js'
import { serve } from '../../src/runtime/node-server.js'
import { clientPem, routerPublicPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

let script: Array<() => Response> = []
let router: TestRouter
const posts = () => router.hits.filter((h) => h.method === 'POST').length

beforeAll(async () => {
  router = await startRouter({ before: (request) => (request.method === 'POST' ? script.shift()?.() : undefined) })
})
afterAll(() => router.close())

async function makeClient(maxRetries = 0) {
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, maxRetries })
  await client.client.loadKeys(clientPem)
  return client
}
const ask = (client: SecureChatCompletion) => client.create({ model: 'm', messages: [{ role: 'user', content: 'hello' }] })
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('error attributes', () => {
  it('a FastAPI 422 is an UnprocessableEntityError (an InvalidRequestError) with the whole body', async () => {
    const body = { detail: [{ loc: ['body', 'messages'], msg: 'field required', type: 'value_error.missing' }] }
    script = [json(422, body, { 'x-router': 'fastapi' })]
    const error = (await ask(await makeClient()).catch((e: unknown) => e)) as UnprocessableEntityError
    expect(error).toBeInstanceOf(UnprocessableEntityError)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).toMatchObject({ status: 422, statusCode: 422, code: 'ERR_UNPROCESSABLE_ENTITY', details: body.detail })
    expect(error.errorDetails).toEqual(body)
    expect(error.headers?.get('x-router')).toBe('fastapi')
  })

  it('requestId is the payload id the request was sent with; a 400 refetch does not apply to 409', async () => {
    script = [json(409, { detail: 'duplicate payload id', hint: 'use a new id' })]
    const client = await makeClient()
    await client.client.fetchServerPublicKey()
    const before = router.hits.length
    const error = (await ask(client).catch((e: unknown) => e)) as ConflictError
    expect(error).toBeInstanceOf(ConflictError)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.errorDetails).toEqual({ detail: 'duplicate payload id', hint: 'use a new id' })
    expect(error.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(error.toJSON()).toMatchObject({ requestId: error.requestId, status: 409 })
    // Only the POST: no router key refetch, which only a plain 400 triggers.
    expect(router.hits.slice(before).map((hit) => hit.method)).toEqual(['POST'])
  })

  it('a non-JSON body has no errorDetails; a JSON array is details but not errorDetails', async () => {
    script = [() => new Response('upstream down', { status: 502 }), json(418, ['teapot'])]
    const text = (await ask(await makeClient()).catch((e: unknown) => e)) as ServerError
    expect(text).toMatchObject({ status: 502, details: 'upstream down', errorDetails: undefined })
    const list = (await ask(await makeClient()).catch((e: unknown) => e)) as APIError
    expect(list).toMatchObject({ status: 418, details: ['teapot'], errorDetails: undefined })
  })

  it('connection errors carry the payload id too', async () => {
    const closed = await serve(async () => new Response('x'))
    await closed.close()
    const client = new SecureChatCompletion({ baseUrl: closed.url, allowHttp: true, maxRetries: 0, routerPublicKey: routerPublicPem })
    const error = (await ask(client).catch((e: unknown) => e)) as APIConnectionError
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('the router decides retries', () => {
  it('x-should-retry: true retries a 500', async () => {
    script = [json(500, { detail: 'flaky' }, { 'x-should-retry': 'true', 'retry-after-ms': '10' })]
    const before = posts()
    const answer = await ask(await makeClient(2))
    expect(answer.choices[0]!.message.content).toBe('echo: hello')
    expect(posts() - before).toBe(2)
  })

  it('x-should-retry: false stops the retries of a 503', async () => {
    script = [json(503, { detail: 'draining' }, { 'x-should-retry': 'false' }), json(503, { detail: 'draining' })]
    const before = posts()
    await expect(ask(await makeClient(3))).rejects.toBeInstanceOf(ServiceUnavailableError)
    expect(posts() - before).toBe(1)
    script = []
  })

  it('retry-after-ms wins over Retry-After', async () => {
    script = [json(429, { detail: 'slow down' }, { 'retry-after-ms': '50', 'retry-after': '30' })]
    const started = Date.now()
    await ask(await makeClient(1))
    const waited = Date.now() - started
    expect(waited).toBeGreaterThanOrEqual(45)
    expect(waited).toBeLessThan(5000)
  })

  it('a retry-after-ms beyond a minute is surfaced, not waited for', async () => {
    script = [json(429, { detail: 'later' }, { 'retry-after-ms': '120000' })]
    const error = (await ask(await makeClient(3)).catch((e: unknown) => e)) as APIError
    expect(error.retryAfterMs).toBe(120_000)
    script = []
  })
})
