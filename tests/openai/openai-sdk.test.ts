/** The official `openai` package, unchanged, with `fetch: createSecureFetch(...)`, against the router on 127.0.0.1. */
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { echoCompletion } from '../helpers/router.js'
import {
  SECURE_PATH,
  WEATHER_TOOL,
  containsBytes,
  detail,
  secureFetchFor,
  startWireRouter,
  toolCallCompletion,
  type WireRouter,
} from './setup.js'

const PROMPT = 'my secret prompt: the launch code is 0000'
let router: WireRouter | undefined
afterEach(async () => {
  await router?.close()
  router = undefined
})

async function openaiFor(r: WireRouter, options: { maxRetries?: number; apiKey?: string } = {}) {
  return new OpenAI({
    baseURL: `${r.url}/v1`,
    apiKey: options.apiKey ?? 'sk-test',
    maxRetries: options.maxRetries ?? 0,
    fetch: await secureFetchFor(r),
  })
}

describe('openai package over the secure fetch', () => {
  it('chat.completions.create answers the decrypted completion; the wire carries only the sealed package', async () => {
    router = await startWireRouter()
    const openai = await openaiFor(router)
    const { data: completion, response } = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }], temperature: 0.2 })
      .withResponse()
    expect(completion.choices[0]!.message.content).toBe(`echo: ${PROMPT}`)
    expect((completion as unknown as { _metadata: { is_encrypted: boolean; payload_id: string } })._metadata).toMatchObject({
      is_encrypted: true,
    })
    expect(response.headers.get('x-request-id')).toBe((completion as unknown as { _metadata: { payload_id: string } })._metadata.payload_id)
    // What the model saw: the parameters, stream forced off, the key in the header only.
    expect(router.requests[0]!.body).toMatchObject({ model: 'm', temperature: 0.2, stream: false })
    expect(router.requests[0]!.apiKey).toBe('sk-test')
    expect(JSON.stringify(router.requests[0]!.body)).not.toContain('sk-test')
    // What crossed the network: one sealed package, no prompt bytes, no plaintext JSON.
    expect(router.wire).toHaveLength(1)
    const wire = router.wire[0]!
    // The probe finds the prompt in the plaintext the router decrypted, and not in the bytes that travelled.
    expect(containsBytes(new TextEncoder().encode(JSON.stringify(router.requests[0]!.body)), PROMPT)).toBe(true)
    expect(containsBytes(wire, PROMPT)).toBe(false)
    expect(containsBytes(wire, 'launch code')).toBe(false)
    expect(containsBytes(wire, '"messages"')).toBe(false)
    expect(Object.keys(JSON.parse(new TextDecoder().decode(wire)))).toEqual(
      expect.arrayContaining(['version', 'algorithm', 'encrypted_payload', 'encrypted_aes_key']),
    )
    expect(router.hits.map((h) => h.path)).toEqual(['/pki/public_key', SECURE_PATH])
  })

  it('tools: the tool definition is sent sealed and the tool call comes back', async () => {
    router = await startWireRouter({ complete: async (request) => toolCallCompletion(request) })
    const openai = await openaiFor(router)
    const completion = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
    })
    expect(router.requests[0]!.body.tools).toEqual([WEATHER_TOOL])
    expect(containsBytes(router.wire[0]!, 'get_weather')).toBe(false)
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls')
    expect(completion.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ])
    expect(completion.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 })
  })

  it('stream: true iterates chunks that reassemble to the answer, with usage', async () => {
    router = await startWireRouter()
    const openai = await openaiFor(router)
    const stream = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let content = ''
    const chunks = []
    for await (const chunk of stream) {
      chunks.push(chunk)
      content += chunk.choices[0]?.delta.content ?? ''
    }
    expect(content).toBe(`echo: ${PROMPT}`)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-test')).toBe(true)
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
    expect(chunks.at(-1)!.choices).toEqual([])
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })
    // The router was asked without streaming and without stream_options.
    expect(router.requests[0]!.body.stream).toBe(false)
    expect(router.requests[0]!.body).not.toHaveProperty('stream_options')
    expect(containsBytes(router.wire[0]!, PROMPT)).toBe(false)
  })

  it('stream: true with tool calls: deltas reassemble to the call', async () => {
    router = await startWireRouter({ complete: async (request) => toolCallCompletion(request) })
    const openai = await openaiFor(router)
    const stream = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
      stream: true,
    })
    const calls: Array<{ id: string; name: string; arguments: string }> = []
    let finish: string | null = null
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' })
        call.id += delta.id ?? ''
        call.name += delta.function?.name ?? ''
        call.arguments += delta.function?.arguments ?? ''
      }
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    expect(calls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }])
    expect(finish).toBe('tool_calls')
  })

  it('the SDK stream helper (runTools-style accumulation) builds the final message', async () => {
    router = await startWireRouter({ complete: async (request) => toolCallCompletion(request) })
    const openai = await openaiFor(router)
    const runner = openai.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'Weather?' }], tools: [WEATHER_TOOL] })
    const final = await runner.finalChatCompletion()
    expect(final.choices[0]!.message.tool_calls?.[0]).toMatchObject({
      id: 'call_1',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    })
  })
})

describe('router errors become the SDK’s own error classes', () => {
  it.each([
    [400, OpenAI.BadRequestError],
    [401, OpenAI.AuthenticationError],
    [403, OpenAI.PermissionDeniedError],
    [404, OpenAI.NotFoundError],
    [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError],
    [503, OpenAI.InternalServerError],
  ])('%i', async (status, ErrorClass) => {
    router = await startWireRouter({ reject: () => detail(status, `router says ${status}`) })
    const openai = await openaiFor(router)
    const error = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toMatchObject({ status })
    expect((error as Error).message).toContain(`router says ${status}`)
    expect((error as Error).message).not.toContain(PROMPT)
    expect((error as { error: { type: string; code: string } }).error.code).toMatch(/^ERR_/)
  })

  it('a wrong API key at a router that checks it is an AuthenticationError, and the key is not echoed', async () => {
    router = await startWireRouter({ apiKey: 'sk-right' })
    const openai = await openaiFor(router, { apiKey: 'sk-wrong-key-value' })
    const error = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(JSON.stringify(error) + String(error)).not.toContain('sk-wrong-key-value')
  })

  it('429 is retried by the SDK exactly per its own policy (maxRetries 2 → 3 POSTs), never more by the secure fetch', async () => {
    router = await startWireRouter({ reject: () => detail(429, 'slow down', { 'retry-after': '0' }) })
    const openai = await openaiFor(router, { maxRetries: 2 })
    const error = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect(router.posts).toBe(3)
  })

  it('a 429 then success: the SDK’s retry goes through the secure protocol again', async () => {
    router = await startWireRouter({ reject: (post) => (post === 1 ? detail(429, 'slow down', { 'retry-after': '0' }) : undefined) })
    const openai = await openaiFor(router, { maxRetries: 1 })
    const completion = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'again' }] })
    expect(completion.choices[0]!.message.content).toBe('echo: again')
    expect(router.posts).toBe(2)
  })

  it('a security failure (router key not matching the pin) is not retried and never sends the prompt', async () => {
    router = await startWireRouter()
    const fetch = await secureFetchFor(router, { routerKeyPins: ['00'.repeat(32)] })
    const openai = new OpenAI({ baseURL: `${router.url}/v1`, apiKey: 'sk-test', maxRetries: 2, fetch })
    const error = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(error).toMatchObject({ status: 421, type: 'security_error', code: 'ERR_SECURITY' })
    expect(router.posts).toBe(0)
    expect(router.hits.filter((h) => h.path === '/pki/public_key')).toHaveLength(1)
  })

  it('an unreachable router is the SDK’s APIConnectionError', async () => {
    router = await startWireRouter()
    const openai = await openaiFor(router)
    await router.close()
    const error = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError)
    router = undefined
  })

  it('the SDK’s own timeout aborts the secure request: APIConnectionTimeoutError', async () => {
    router = await startWireRouter({
      complete: () => new Promise((resolve) => setTimeout(() => resolve(echoCompletion({ model: 'm', messages: [] })), 2000)),
    })
    const openai = new OpenAI({
      baseURL: `${router.url}/v1`,
      apiKey: 'sk-test',
      maxRetries: 0,
      timeout: 200,
      fetch: await secureFetchFor(router),
    })
    const error = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError)
  })

  it('a caller abort is the SDK’s APIUserAbortError', async () => {
    router = await startWireRouter({
      complete: () => new Promise((resolve) => setTimeout(() => resolve(echoCompletion({ model: 'm', messages: [] })), 2000)),
    })
    const openai = await openaiFor(router)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const error = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError)
  })
})
