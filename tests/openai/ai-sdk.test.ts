/** The Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`), unchanged, with the secure fetch. */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { afterEach, describe, expect, it } from 'vitest'
import { echoCompletion } from '../helpers/router.js'
import type { CompletionRequest } from '../../src/router/handler.js'
import { containsBytes, detail, secureFetchFor, startWireRouter, toolCallCompletion, type WireRouter } from './setup.js'

const PROMPT = 'confidential: quarterly numbers are 42'
let router: WireRouter | undefined
afterEach(async () => {
  await router?.close()
  router = undefined
})

async function providerFor(r: WireRouter) {
  return createOpenAICompatible({
    name: 'nomyo',
    baseURL: `${r.url}/v1`,
    apiKey: 'sk-test',
    includeUsage: true,
    fetch: await secureFetchFor(r),
  })
}

/** First a tool call; once the tool result is in the conversation, an answer that quotes it. */
async function weatherAgent(request: CompletionRequest) {
  const messages = request.messages as Array<{ role: string; content: unknown }>
  const result = messages.find((m) => m.role === 'tool')
  if (!result) return toolCallCompletion(request)
  return {
    ...echoCompletion(request),
    choices: [{ index: 0, message: { role: 'assistant', content: `It is ${String(result.content)}` }, finish_reason: 'stop' }],
  }
}

const weather = tool({
  description: 'Current weather of a city',
  inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
  execute: async ({ city }) => `sunny in ${city}`,
})

describe('AI SDK over the secure fetch', () => {
  it('generateText', async () => {
    router = await startWireRouter()
    const provider = await providerFor(router)
    const result = await generateText({ model: provider.chatModel('m'), prompt: PROMPT })
    expect(result.text).toBe(`echo: ${PROMPT}`)
    expect(result.finishReason).toBe('stop')
    expect(result.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
    expect(containsBytes(router.wire[0]!, PROMPT)).toBe(false)
    expect(containsBytes(router.wire[0]!, 'quarterly')).toBe(false)
  })

  it('streamText', async () => {
    router = await startWireRouter()
    const provider = await providerFor(router)
    const result = streamText({ model: provider.chatModel('m'), prompt: PROMPT })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toBe(`echo: ${PROMPT}`)
    expect(await result.finishReason).toBe('stop')
    expect(await result.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
    expect(router.requests[0]!.body.stream).toBe(false)
    expect(router.requests[0]!.body).not.toHaveProperty('stream_options')
    expect(containsBytes(router.wire[0]!, PROMPT)).toBe(false)
  })

  it('generateText with a tool: the call, the tool result and the answer all travel sealed', async () => {
    router = await startWireRouter({ complete: async (request) => weatherAgent(request) })
    const provider = await providerFor(router)
    const result = await generateText({
      model: provider.chatModel('m'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: weather },
      stopWhen: stepCountIs(2),
    })
    expect(result.steps[0]!.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } })
    expect(result.text).toBe('It is sunny in Paris')
    expect(router.requests).toHaveLength(2)
    for (const wire of router.wire) expect(containsBytes(wire, 'sunny in Paris')).toBe(false)
  })

  it('streamText with a tool', async () => {
    router = await startWireRouter({ complete: async (request) => weatherAgent(request) })
    const provider = await providerFor(router)
    const result = streamText({
      model: provider.chatModel('m'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: weather },
      stopWhen: stepCountIs(2),
    })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toBe('It is sunny in Paris')
    const steps = await result.steps
    expect(steps[0]!.toolCalls[0]).toMatchObject({ toolName: 'get_weather', toolCallId: 'call_1', input: { city: 'Paris' } })
  })

  it('a router 403 is an APICallError with the status, not retried', async () => {
    router = await startWireRouter({ reject: () => detail(403, 'model not available at this tier') })
    const provider = await providerFor(router)
    const error = await generateText({ model: provider.chatModel('m'), prompt: 'hi' }).catch((e: unknown) => e)
    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 403, isRetryable: false })
    expect((error as Error).message).toContain('model not available at this tier')
    expect(router.posts).toBe(1)
  })

  it('a security failure is not retried by the AI SDK either', async () => {
    router = await startWireRouter()
    const fetch = await secureFetchFor(router, { routerKeyPins: ['11'.repeat(32)] })
    const provider = createOpenAICompatible({ name: 'nomyo', baseURL: `${router.url}/v1`, apiKey: 'sk-test', fetch })
    const error = await generateText({ model: provider.chatModel('m'), prompt: PROMPT }).catch((e: unknown) => e)
    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 421, isRetryable: false })
    expect(router.posts).toBe(0)
    expect(router.hits.filter((h) => h.path === '/pki/public_key')).toHaveLength(1)
  })
})
