/**
 * `nomyo-secure/ai-sdk`: `createNomyo(options)` and then `nomyo('model-id')` is all a user writes;
 * generateText, streamText and tools go through the secure fetch, sealed on the wire.
 */
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { afterEach, describe, expect, it } from 'vitest'
import { createNomyo } from '../../src/ai-sdk/index.js'
import type { CompletionRequest } from '../../src/router/handler.js'
import { echoCompletion } from '../helpers/router.js'
import { containsBytes, secureFetchFor, startWireRouter, toolCallCompletion, type WireRouter } from './setup.js'

const PROMPT = 'confidential: the launch slips to Friday'
let router: WireRouter | undefined
afterEach(async () => {
  await router?.close()
  router = undefined
})

const weather = tool({
  description: 'Current weather of a city',
  inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
  execute: async ({ city }) => `sunny in ${city}`,
})

async function weatherAgent(request: CompletionRequest) {
  const messages = request.messages as Array<{ role: string; content: unknown }>
  const result = messages.find((m) => m.role === 'tool')
  if (!result) return toolCallCompletion(request)
  return {
    ...echoCompletion(request),
    choices: [{ index: 0, message: { role: 'assistant', content: `It is ${String(result.content)}` }, finish_reason: 'stop' }],
  }
}

describe('createNomyo (nomyo-secure/ai-sdk)', () => {
  it('generateText with nomyo("model-id"): sealed on the wire, the API key from the options', async () => {
    router = await startWireRouter()
    const secureFetch = await secureFetchFor(router, { apiKey: 'sk-provider' })
    const nomyo = createNomyo({ secureFetch })
    const result = await generateText({ model: nomyo('Qwen/Qwen3-0.6B'), prompt: PROMPT })
    expect(result.text).toBe(`echo: ${PROMPT}`)
    expect(result.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
    expect(router.requests[0]!.body.model).toBe('Qwen/Qwen3-0.6B')
    expect(router.requests[0]!.apiKey).toBe('sk-provider')
    expect(containsBytes(router.wire[0]!, PROMPT)).toBe(false)
  })

  it('streamText, with usage', async () => {
    router = await startWireRouter()
    const nomyo = createNomyo({ secureFetch: await secureFetchFor(router) })
    const result = streamText({ model: nomyo('m'), prompt: PROMPT })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toBe(`echo: ${PROMPT}`)
    expect(await result.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
    expect(containsBytes(router.wire[0]!, PROMPT)).toBe(false)
  })

  it('tools: the call, the tool result and the answer travel sealed', async () => {
    router = await startWireRouter({ complete: async (request) => weatherAgent(request) })
    const nomyo = createNomyo({ secureFetch: await secureFetchFor(router) })
    const result = await generateText({
      model: nomyo('m'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: weather },
      stopWhen: stepCountIs(2),
    })
    expect(result.steps[0]!.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } })
    expect(result.text).toBe('It is sunny in Paris')
    for (const wire of router.wire) expect(containsBytes(wire, 'sunny in Paris')).toBe(false)
  })

  it("made from options alone: router URL, API key and default security tier reach the router; the name is the provider's", async () => {
    router = await startWireRouter()
    // keySize 2048 only to keep the test fast; the default is RSA-4096.
    const nomyo = createNomyo({ baseUrl: router.url, allowHttp: true, apiKey: 'sk-options', securityTier: 'maximum', keySize: 2048 })
    const result = await generateText({ model: nomyo('m'), prompt: PROMPT })
    expect(result.text).toBe(`echo: ${PROMPT}`)
    expect(router.requests[0]).toMatchObject({ apiKey: 'sk-options', tier: 'maximum' })
    expect(nomyo('m').provider).toBe('nomyo.chat')
    expect(createNomyo({ secureFetch: await secureFetchFor(router), name: 'private' })('m').provider).toBe('private.chat')
  })
})
