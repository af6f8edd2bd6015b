/**
 * `nomyo-secure proxy` as a user runs it: the real CLI process between the official `openai`
 * package and our router handler on 127.0.0.1. What reaches the router is sealed; what the proxy
 * logs carries no prompt or answer; errors come back in OpenAI's shape with the router's status.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { generateText, streamText } from 'ai'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { routerFingerprint } from '../tests/runtimes/harness.js'
import { echoCompletion, startRouter } from '../tests/helpers/router.js'
import {
  containsBytes,
  detail,
  SECURE_PATH,
  startWireRouter,
  toolCallCompletion,
  WEATHER_TOOL,
  type WireRouter,
} from '../tests/openai/setup.js'
import { startProxy, type ProxyCli } from './helpers/proxy-cli.js'
import { proxyTestHooks } from './helpers/proxy-hooks.js'

const PROMPT = 'canary-prompt: the merger closes on the 14th'
const ROUTER_KEY = 'sk-router-secret-7f3a'
const { keyDir, running } = proxyTestHooks()

async function setUp(
  routerOptions: Parameters<typeof startWireRouter>[0] = {},
  proxyArgs: string[] = [],
): Promise<{ router: WireRouter; proxy: ProxyCli; openai: OpenAI }> {
  const router = await startWireRouter(routerOptions)
  running.push(router)
  const proxy = await startProxy(['--router', router.url, '--key-dir', keyDir.dir, '--api-key', ROUTER_KEY, ...proxyArgs])
  running.push(proxy)
  // The local client's key is a placeholder: the router's key is the proxy's own setting.
  const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-local-placeholder', maxRetries: 0 })
  return { router, proxy, openai }
}

/** Nothing the user said or the model answered is in the proxy's output. */
async function expectNoContent(proxy: ProxyCli, ...canaries: string[]) {
  expect((await proxy.waitForLogLines(1)).length).toBeGreaterThan(0)
  for (const canary of canaries) expect(proxy.output()).not.toContain(canary)
  expect(proxy.output()).not.toContain(ROUTER_KEY)
}

describe('nomyo-secure proxy with the openai package', () => {
  it('plain: the answer comes back opened, the router sees only a sealed package, the log no content', async () => {
    const { router, proxy, openai } = await setUp()
    const completion = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
    expect(completion.choices[0]!.message.content).toBe(`echo: ${PROMPT}`)
    expect(completion.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })

    expect(router.requests[0]!.body.messages).toEqual([{ role: 'user', content: PROMPT }])
    expect(router.requests[0]!.apiKey).toBe(ROUTER_KEY)
    const wire = router.wire[0]!
    expect(containsBytes(wire, PROMPT)).toBe(false)
    expect(containsBytes(wire, '"messages"')).toBe(false)
    expect(Object.keys(JSON.parse(new TextDecoder().decode(wire)))).toEqual(
      expect.arrayContaining(['version', 'algorithm', 'encrypted_payload', 'encrypted_aes_key']),
    )
    expect(router.hits.map((hit) => hit.path)).toEqual(['/pki/public_key', SECURE_PATH])

    expect(await proxy.waitForLogLines(1)).toEqual([
      expect.stringMatching(/ POST \/v1\/chat\/completions 200 id=[0-9a-f-]{36} in=\d+B out=\d+B \d+ms$/),
    ])
    await expectNoContent(proxy, PROMPT, 'merger', 'sk-local-placeholder')
  })

  it('tools: the tool definition travels sealed and the tool call comes back', async () => {
    const { router, openai } = await setUp({ complete: async (request) => toolCallCompletion(request) })
    const completion = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
    })
    expect(router.requests[0]!.body.tools).toEqual([WEATHER_TOOL])
    expect(containsBytes(router.wire[0]!, 'get_weather')).toBe(false)
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls')
    expect(completion.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ])
  })

  it('streaming: chat.completion.chunk events that reassemble to the answer, usage when asked, then [DONE]', async () => {
    const { router, proxy, openai } = await setUp()
    const stream = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    const chunks = []
    for await (const chunk of stream) {
      chunks.push(chunk)
      text += chunk.choices[0]?.delta.content ?? ''
    }
    expect(text).toBe(`echo: ${PROMPT}`)
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })
    // The router is asked for a whole answer: the protocol has no streaming.
    expect(router.requests[0]!.body.stream).toBe(false)

    const raw = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    })
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = await raw.text()
    expect(events.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(events).not.toContain('"usage":{')
    await expectNoContent(proxy, PROMPT)
  })

  it('the AI SDK (openai-compatible, plain fetch) through the proxy: generateText and streamText', async () => {
    const { router, proxy } = await setUp()
    const local = createOpenAICompatible({ name: 'local', baseURL: `${proxy.url}/v1`, includeUsage: true })
    const generated = await generateText({ model: local('m'), prompt: PROMPT })
    expect(generated.text).toBe(`echo: ${PROMPT}`)
    const streamed = streamText({ model: local('m'), prompt: PROMPT })
    let text = ''
    for await (const delta of streamed.textStream) text += delta
    expect(text).toBe(`echo: ${PROMPT}`)
    expect(await streamed.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
    expect(router.wire).toHaveLength(2)
    for (const wire of router.wire) expect(containsBytes(wire, PROMPT)).toBe(false)
    await expectNoContent(proxy, PROMPT)
  })

  it('a request X-Security-Tier header overrides --security-tier', async () => {
    const { router, openai } = await setUp({}, ['--security-tier', 'high'])
    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'a' }] })
    await openai.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'b' }] },
      { headers: { 'X-Security-Tier': 'maximum' } },
    )
    expect(router.requests.map((request) => request.tier)).toEqual(['high', 'maximum'])
  })

  it('router errors keep their status: 401, 403, 429 with Retry-After, 500; the SDK raises its own classes', async () => {
    const answers: Record<number, Response> = {
      1: detail(401, 'Invalid API key'),
      2: detail(403, 'Model not allowed at this security tier'),
      3: detail(429, 'Slow down', { 'Retry-After': '7' }),
      4: detail(500, 'Internal error'),
    }
    const { openai, proxy } = await setUp({ reject: (post) => answers[post] })
    const ask = () => openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
    await expect(ask()).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
    await expect(ask()).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError)
    const limited = await ask().catch((error: unknown) => error)
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError)
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7')
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).message).toContain('Slow down')
    const failed = await ask().catch((error: unknown) => error)
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError)
    expect((failed as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(500)
    expect((await proxy.waitForLogLines(4)).map((line) => line.split(' ')[3])).toEqual(['401', '403', '429', '500'])
    await expectNoContent(proxy, PROMPT)
  })

  it('a router that is down is a 502, one too slow a 504, both in OpenAI shape', async () => {
    const gone = await startWireRouter()
    const goneUrl = gone.url
    await gone.close()
    const down = await startProxy(['--router', goneUrl, '--key-dir', keyDir.dir])
    running.push(down)
    const openaiDown = new OpenAI({ baseURL: `${down.url}/v1`, apiKey: 'x', maxRetries: 0 })
    const error = await openaiDown.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502)
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('router_unreachable')

    const { openai } = await setUp(
      {
        complete: async (request, context) => {
          await new Promise((resolve) => setTimeout(resolve, 3000, undefined))
          return context.signal.aborted ? undefined : echoCompletion(request)
        },
      },
      ['--timeout', '0.5'],
    )
    const slow = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e)
    expect((slow as InstanceType<typeof OpenAI.APIError>).status).toBe(504)
    expect((slow as InstanceType<typeof OpenAI.APIError>).code).toBe('router_timeout')
  })

  it('GET /v1/models: a clear 404 in OpenAI shape when the router has no list; GET /healthz: up, reachable, fingerprint', async () => {
    const { openai, proxy } = await setUp()
    const error = await openai.models.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('models_not_available')

    const health = await fetch(`${proxy.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({
      status: 'ok',
      proxy: 'up',
      router: { reachable: true, fingerprint: routerFingerprint, pinned: null, keyBinding: true },
    })
  })

  it('GET /v1/models passes the router list through where it has one, with the router API key', async () => {
    const list = { object: 'list', data: [{ id: 'Qwen/Qwen3-0.6B', object: 'model', created: 0, owned_by: 'nomyo' }] }
    const seen: Array<string | null> = []
    const router = await startRouter({
      before: (request) => {
        if (new URL(request.url).pathname !== '/v1/models') return undefined
        seen.push(request.headers.get('authorization'))
        return Response.json(list)
      },
    })
    running.push(router)
    const proxy = await startProxy(['--router', router.url, '--key-dir', keyDir.dir, '--api-key', ROUTER_KEY])
    running.push(proxy)
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'x', maxRetries: 0 })
    const models = await openai.models.list()
    expect(models.data.map((model) => model.id)).toEqual(['Qwen/Qwen3-0.6B'])
    expect(seen).toEqual([`Bearer ${ROUTER_KEY}`])
  })

  it('--key-binding: bound by default where the router offers it; require refuses a router without it; off never binds', async () => {
    const bound = await setUp()
    const answer = await bound.openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect((answer as unknown as { _metadata: { key_bound?: boolean } })._metadata.key_bound).toBe(true)
    expect(JSON.parse(new TextDecoder().decode(bound.router.wire[0]!))).toHaveProperty('key_binding', 'v1')

    const off = await setUp({}, ['--key-binding', 'off'])
    const unbound = await off.openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect((unbound as unknown as { _metadata: { key_bound?: boolean } })._metadata.key_bound).toBeUndefined()
    expect(JSON.parse(new TextDecoder().decode(off.router.wire[0]!))).not.toHaveProperty('key_binding')

    const plain = await setUp({ keyBinding: false }, ['--key-binding', 'require'])
    const refused = await plain.openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e)
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(421)
    expect((refused as Error).message).toContain('key binding')
    expect(plain.router.wire).toHaveLength(0)
    const health = await fetch(`${plain.proxy.url}/healthz`)
    expect(await health.json()).toMatchObject({ router: { reachable: true, keyBinding: false } })
  })

  it('a pinned key that does not match: nothing is sent (421) and /healthz reports it', async () => {
    const { router, openai, proxy } = await setUp({}, ['--pin', 'ab'.repeat(32)])
    const error = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e)
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(421)
    expect(router.wire).toHaveLength(0)
    const health = await fetch(`${proxy.url}/healthz`)
    expect(health.status).toBe(503)
    expect(await health.json()).toMatchObject({ router: { reachable: true, fingerprint: routerFingerprint, pinned: false } })
  })

  it('--pass-api-key: the local bearer token becomes the router API key', async () => {
    const router = await startWireRouter({ apiKey: 'sk-user-own' })
    running.push(router)
    // A router key in the environment does not win over the local client's under --pass-api-key.
    const proxy = await startProxy(['--router', router.url, '--key-dir', keyDir.dir, '--pass-api-key'], {
      env: { NOMYO_API_KEY: 'sk-environment' },
    })
    running.push(proxy)
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-user-own', maxRetries: 0 })
    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect(router.requests[0]!.apiKey).toBe('sk-user-own')
    expect(proxy.output()).not.toContain('sk-user-own')
  })

  it('--key-dir: the client key is generated once (private_key.pem 0600) and kept across restarts', async () => {
    const router = await startWireRouter()
    running.push(router)
    const dir = join(keyDir.dir, '..', 'fresh_keys')
    const fingerprintIn = (proxy: ProxyCli) => /Client key: .* SHA-256 ([0-9a-f]{64})/.exec(proxy.output())?.[1]
    const first = await startProxy(['--router', router.url, '--key-dir', dir], { timeoutMs: 90_000 })
    const generated = fingerprintIn(first)
    await first.stop()
    expect(generated).toMatch(/^[0-9a-f]{64}$/)
    expect((await stat(join(dir, 'private_key.pem'))).mode & 0o777).toBe(0o600)
    const second = await startProxy(['--router', router.url, '--key-dir', dir])
    running.push(second)
    expect(fingerprintIn(second)).toBe(generated)
    const answer = await fetch(`${second.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(answer.status).toBe(200)
  })
})
