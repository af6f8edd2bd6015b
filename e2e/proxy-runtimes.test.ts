/**
 * `nomyo-secure proxy` runs with Deno and Bun as it does with Node (the other proxy tests): the same
 * built file started by each runtime, a plain and a streaming request through it with the `openai`
 * package, and its health check.
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { containsBytes, startWireRouter, type WireRouter } from '../tests/openai/setup.js'
import { routerFingerprint } from '../tests/runtimes/harness.js'
import { fixtureKeyDir, startProxy, type Runtime } from './helpers/proxy-cli.js'

const PROMPT = 'canary-runtime: meet at the north gate'
let router: WireRouter
let keyDir: Awaited<ReturnType<typeof fixtureKeyDir>>
beforeAll(async () => {
  router = await startWireRouter()
  keyDir = await fixtureKeyDir()
})
afterAll(async () => {
  await router.close()
  await keyDir.remove()
})

describe.each<Runtime>(['deno', 'bun'])('nomyo-secure proxy on %s', (runtime) => {
  it('starts, answers a plain and a streaming request, and reports its health', async () => {
    const proxy = await startProxy(['--router', router.url, '--key-dir', keyDir.dir], { runtime, timeoutMs: 60_000 })
    try {
      const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'x', maxRetries: 0 })
      const before = router.wire.length
      const completion = await openai.chat.completions.create({ model: runtime, messages: [{ role: 'user', content: PROMPT }] })
      expect(completion.choices[0]!.message.content).toBe(`echo: ${PROMPT}`)
      const stream = await openai.chat.completions.create({
        model: runtime,
        messages: [{ role: 'user', content: PROMPT }],
        stream: true,
        stream_options: { include_usage: true },
      })
      let text = ''
      let usage: unknown
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? ''
        usage = chunk.usage ?? usage
      }
      expect(text).toBe(`echo: ${PROMPT}`)
      expect(usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })
      const sent = router.wire.slice(before)
      expect(sent).toHaveLength(2)
      for (const bytes of sent) expect(containsBytes(bytes, PROMPT)).toBe(false)

      const health = await fetch(`${proxy.url}/healthz`)
      expect(await health.json()).toMatchObject({ status: 'ok', router: { reachable: true, fingerprint: routerFingerprint } })
      expect(await proxy.waitForLogLines(3)).toHaveLength(3)
      expect(proxy.output()).not.toContain(PROMPT)
    } finally {
      await proxy.stop()
    }
  })
})
