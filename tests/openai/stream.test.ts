/** `SecureChatCompletion.create({ stream: true })`: chunks cut from the whole decrypted answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ChatCompletionStream,
  completionToChunks,
  SecureChatCompletion,
  type ChatCompletion,
  type ChatCompletionChunk,
} from '../../src/runtime/node.js'
import { clientPem } from '../helpers/keys.js'
import { echoCompletion } from '../helpers/router.js'
import { WEATHER_TOOL, detail, startWireRouter, toolCallCompletion, type WireRouter } from './setup.js'

let router: WireRouter
let client: SecureChatCompletion
let reject: (() => Response) | undefined

beforeAll(async () => {
  router = await startWireRouter({
    reject: () => reject?.(),
    complete: async (request) => (request.tools ? toolCallCompletion(request) : echoCompletion(request)),
  })
  client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, maxRetries: 0 })
  await client.client.loadKeys(clientPem)
})
afterAll(() => router.close())

const messages = [{ role: 'user', content: 'stream me' }]

async function collect(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = []
  for await (const chunk of iterable) chunks.push(chunk)
  return chunks
}

describe('create({ stream: true })', () => {
  it('await, then iterate, as with the openai package', async () => {
    const stream = await client.create({ model: 'm', messages, stream: true })
    expect(stream).toBeInstanceOf(ChatCompletionStream)
    const chunks = await collect(stream)
    expect(chunks.map((c) => c.choices[0]!.delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'echo: stream me' }, {}])
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop')
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-test' && c.model === 'm')).toBe(true)
    expect(chunks.some((c) => 'usage' in c)).toBe(false)
    expect(stream.completion._metadata.is_encrypted).toBe(true)
    expect(router.requests.at(-1)!.body.stream).toBe(false)
  })

  it('iterate directly with for await', async () => {
    let text = ''
    for await (const chunk of client.chat.completions.create({ model: 'm', messages, stream: true }))
      text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('echo: stream me')
  })

  it('stream_options.include_usage adds the usage chunk and is not sent', async () => {
    const chunks = await collect(await client.acreate({ model: 'm', messages, stream: true, stream_options: { include_usage: true } }))
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true)
    expect(router.requests.at(-1)!.body).not.toHaveProperty('stream_options')
  })

  it('tool calls arrive as deltas with index, id, type, name, then arguments', async () => {
    const chunks = await collect(await client.create({ model: 'm', messages, tools: [WEATHER_TOOL], stream: true }))
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
    expect(toolDeltas).toEqual([
      { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city":"Paris"}' } },
    ])
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls')
    expect(chunks.some((c) => c.choices[0]?.delta.content)).toBe(false)
  })

  it('n > 1: each choice streams under its own index', async () => {
    const chunks = await collect(await client.create({ model: 'm', messages, n: 2, stream: true }))
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0]!.index === index)
      expect(mine.map((c) => c.choices[0]!.delta.content ?? '').join('')).toBe('echo: stream me')
      expect(mine.at(-1)!.choices[0]!.finish_reason).toBe('stop')
    }
  })

  it('a request error rejects the await (and the iteration)', async () => {
    reject = () => detail(401, 'bad key')
    try {
      await expect(client.create({ model: 'm', messages, stream: true })).rejects.toBeInstanceOf(AuthenticationError)
      await expect(collect(client.create({ model: 'm', messages, stream: true }))).rejects.toBeInstanceOf(AuthenticationError)
    } finally {
      reject = undefined
    }
  })

  it('toReadableStream gives the event-stream body', async () => {
    const stream = await client.create({ model: 'm', messages, stream: true })
    const text = await new Response(stream.toReadableStream()).text()
    expect(text.startsWith('data: {')).toBe(true)
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true)
    expect(text).toContain('"content":"echo: stream me"')
  })

  it('stream: false and no stream give the completion', async () => {
    const completion = await client.create({ model: 'm', messages, stream: false })
    expect(completion.choices[0]!.message.content).toBe('echo: stream me')
  })
})

describe('completionToChunks', () => {
  const completion = {
    ...echoCompletion({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    system_fingerprint: 'fp_1',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'answer', reasoning_content: 'thinking' },
        finish_reason: 'length',
        logprobs: { content: [] },
      },
    ],
    _metadata: { payload_id: 'p', processed_at: null, is_encrypted: true as const, encryption_algorithm: 'hybrid-aes256-rsa4096' },
  } as ChatCompletion

  it('keeps the fingerprint, reasoning before content, logprobs on the content chunk, the finish reason', () => {
    const chunks = [...completionToChunks(completion)]
    expect(chunks.every((c) => c.system_fingerprint === 'fp_1')).toBe(true)
    expect(chunks.map((c) => c.choices[0]!.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'thinking' },
      { content: 'answer' },
      {},
    ])
    expect(chunks[2]!.choices[0]!.logprobs).toEqual({ content: [] })
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length')
  })
})
