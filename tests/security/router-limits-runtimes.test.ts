/**
 * The router handler's limits (issue #12, findings 4 and 5) where it runs without `serve()`:
 * `Deno.serve`, `Bun.serve` and workerd, each serving the example router of tests/examples in its
 * real runtime, attacked over real HTTP on 127.0.0.1. The handler refuses by its headers before it
 * reads a body, cuts a chunked body at 16 MiB, and checks X-Public-Key before any completion runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/client/secure-completion-client.js'
import { startBunRouter, startDenoRouter, startWorkerRouter } from '../examples/example-routers.js'
import { NOMYO_API_KEY, askWithOurClient, startUpstream, type Upstream } from '../examples/support.js'
import { clientPublicPem, routerPublicPem } from '../helpers/keys.js'
import { rawPost, rsaKeyHeader, zeros } from './support.js'

const MiB = 1024 * 1024
// Over the router's 16 MiB and under Bun.serve's maxRequestBodySize in the example (32 MiB), so
// the handler, not the runtime, has to refuse.
const DECLARED = 24 * MiB
let upstream: Upstream
let sealed: Uint8Array
const urls: Record<string, string> = {}
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  upstream = await startUpstream()
  cleanup.push(() => upstream.close())
  for (const [runtime, start] of [
    ['Deno.serve', startDenoRouter],
    ['Bun.serve', startBunRouter],
    ['workerd', startWorkerRouter],
  ] as const) {
    const router = await start(upstream)
    cleanup.push(router.stop)
    urls[runtime] = router.url
  }

  const client = new SecureCompletionClient({
    routerUrl: urls['Deno.serve'],
    allowHttp: true,
    routerPublicKey: routerPublicPem,
    keyBinding: 'off',
  })
  sealed = await client.encryptPayload({ model: 'example-model', messages: [{ role: 'user', content: 'the secret prompt' }] })
}, 180_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

const headers = (extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/octet-stream',
  'X-Payload-ID': 'runtime-limits',
  'X-Public-Key': encodeURIComponent(clientPublicPem),
  Authorization: `Bearer ${NOMYO_API_KEY}`,
  ...extra,
})

describe.each(['Deno.serve', 'Bun.serve', 'workerd'])('the router handler under %s', (runtime) => {
  const post = (extra: Record<string, string | null>, body: Uint8Array | (() => Iterable<Uint8Array>), stallAfter?: number) => {
    const all: Record<string, string> = {}
    for (const [name, value] of Object.entries({ ...headers(), ...extra })) if (value !== null) all[name] = value
    return rawPost(`${urls[runtime]}/v1/chat/secure_completion`, all, body, { timeoutMs: 10_000, stallAfter })
  }

  it('no API key, a Content-Length over the limit: 401 before the body is read', async () => {
    const answer = await post({ Authorization: null, 'Content-Length': String(DECLARED) }, () => zeros(DECLARED), MiB)
    expect(answer.status).toBe(401)
  })

  it('a valid key, a Content-Length over the limit: 413 before the body is read', async () => {
    const answer = await post({ 'Content-Length': String(DECLARED) }, () => zeros(DECLARED), MiB)
    expect(answer.status).toBe(413)
  })

  it('a valid key, a chunked body past the limit: cut with 413, nothing reaches the upstream', async () => {
    const before = upstream.requests.length
    const answer = await post({}, () => zeros(DECLARED))
    expect(answer.status).toBe(413)
    expect(upstream.requests.length).toBe(before)
  })

  it('X-Public-Key with e = 1, and a 20,000-bit one: 400, the completion never runs', async () => {
    const before = upstream.requests.length
    for (const key of [rsaKeyHeader({ bits: 2048, exponent: 1 }), rsaKeyHeader({ bits: 20000, exponent: 65537 })]) {
      const answer = await post({ 'X-Public-Key': key, 'Content-Length': String(sealed.length) }, sealed)
      expect(answer.status).toBe(400)
    }
    expect(upstream.requests.length).toBe(before)
  })

  it('answers a normal (key-bound) request right after', async () => {
    const completion = await askWithOurClient(urls[runtime]!, 'after the attacks', NOMYO_API_KEY)
    expect(completion.choices[0]!.message.content).toBe('echo: after the attacks')
    expect(completion._metadata.key_bound).toBe(true)
  })
})
