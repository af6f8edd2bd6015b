/**
 * Load: 500 concurrent requests through one client against the real router on 127.0.0.1. Every
 * answer must be the right one for its request (unique prompts, and the payload id the router saw
 * for that prompt), the router key is fetched once, memory stays bounded and no promise is left
 * rejected without a handler.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SecureChatCompletion } from '../../src/runtime/node.js'
import { echoCompletion, startRouter, type TestRouter } from '../helpers/router.js'
import { clientPem } from '../helpers/keys.js'

const CONCURRENT = 500
const MiB = 1024 * 1024

let unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeEach(() => {
  unhandled = []
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
})

/** A router that records, per prompt, the X-Payload-ID it received with it. */
async function recordingRouter(before?: Parameters<typeof startRouter>[0]['before']) {
  const payloadIdOf = new Map<string, string>()
  const router = await startRouter({
    before,
    complete: async (body, context) => {
      const messages = body.messages as Array<{ content: string }>
      const prompt = messages.at(-1)!.content
      if (payloadIdOf.has(prompt)) throw new Error(`prompt answered twice: ${prompt}`)
      payloadIdOf.set(prompt, context.payloadId)
      return echoCompletion(body)
    },
  })
  return { router, payloadIdOf }
}

async function concurrently(router: TestRouter, options: Record<string, unknown> = {}) {
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, apiKey: 'sk-load-test', maxRetries: 0, ...options })
  await client.client.loadKeys(clientPem)
  const prompts = Array.from({ length: CONCURRENT }, (_, i) => `load ${i} ${randomUUID()}`)
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const started = performance.now()
  try {
    const answers = await Promise.all(
      prompts.map((content) => client.create({ model: 'load-model', messages: [{ role: 'user', content }] })),
    )
    return { prompts, answers, ms: performance.now() - started, rssGrowth: Math.max(peak, process.memoryUsage().rss) - before }
  } finally {
    clearInterval(sampler)
  }
}

describe('load', () => {
  it(`${CONCURRENT} concurrent requests through one client: every answer right and matched to its request, one key fetch, bounded memory, no unhandled rejection`, {
    timeout: 120_000,
  }, async () => {
    const { router, payloadIdOf } = await recordingRouter()
    try {
      const { prompts, answers, ms, rssGrowth } = await concurrently(router)
      answers.forEach((answer, i) => {
        expect(answer.choices[0]!.message.content).toBe(`echo: ${prompts[i]}`)
        expect(answer._metadata.payload_id).toBe(payloadIdOf.get(prompts[i]!))
      })
      expect(new Set(answers.map((a) => a._metadata.payload_id)).size).toBe(CONCURRENT)
      expect(router.hits.filter((h) => h.path === '/pki/public_key')).toHaveLength(1)
      expect(router.hits.filter((h) => h.method === 'POST' && h.status === 200)).toHaveLength(CONCURRENT)
      // Measured on 2 cores: 4–6 s and ~90 MiB of peak RSS growth, with client and router (and 500
      // sockets on each side) in this one process. The bounds leave room for a loaded CI machine.
      expect(ms).toBeLessThan(30_000)
      expect(rssGrowth).toBeLessThan(256 * MiB)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(unhandled).toEqual([])
    } finally {
      await router.close()
    }
  })

  it(`${CONCURRENT} concurrent requests while the router sheds every 7th attempt with 503: retried requests still get their own answers`, {
    timeout: 120_000,
  }, async () => {
    let posts = 0
    const { router, payloadIdOf } = await recordingRouter((request) =>
      request.method === 'POST' && ++posts % 7 === 0
        ? new Response('{"detail":"busy"}', { status: 503, headers: { 'retry-after': '0' } })
        : undefined,
    )
    try {
      const { prompts, answers } = await concurrently(router, { maxRetries: 3 })
      answers.forEach((answer, i) => {
        expect(answer.choices[0]!.message.content).toBe(`echo: ${prompts[i]}`)
        expect(answer._metadata.payload_id).toBe(payloadIdOf.get(prompts[i]!))
      })
      expect(router.hits.filter((h) => h.status === 503).length).toBeGreaterThanOrEqual(Math.floor(CONCURRENT / 7))
      expect(router.hits.filter((h) => h.path === '/pki/public_key')).toHaveLength(1)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(unhandled).toEqual([])
    } finally {
      await router.close()
    }
  })
})
