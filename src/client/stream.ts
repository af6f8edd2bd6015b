/**
 * `stream: true` on a protocol that answers whole responses: the request is sent non-streaming, and
 * the decrypted completion is replayed as the `chat.completion.chunk` sequence an OpenAI-compatible
 * server would have streamed. Every token therefore arrives at once, after the whole answer has been
 * decrypted; streaming UIs keep working, they just do not show tokens as they are generated.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionChunkChoice, ChatCompletionChunkDelta } from '../protocol/completion.js'
import { encodeEventStream } from '../fetch/sse.js'

/** Options of {@link completionToChunks}. */
export interface ChunkOptions {
  /** Add a last chunk with `usage` and `choices: []`, as `stream_options.include_usage` asks. */
  includeUsage?: boolean
}

/** Message fields that OpenAI-compatible servers stream as their own text deltas, in this order. */
const TEXT_FIELDS = ['reasoning_content', 'reasoning', 'content', 'refusal'] as const

/**
 * Turns a whole completion into the chunks a streaming server would send: per choice a role delta,
 * the text deltas, each tool call (a delta naming it, then one with its arguments), and a delta with
 * the `finish_reason`; with `includeUsage`, a final chunk carrying `usage`. Choices follow each other
 * (`n > 1`); every chunk names its choice by `index`, as streaming consumers expect.
 *
 * @example
 * ```ts
 * let text = ''
 * for (const chunk of completionToChunks(completion)) text += chunk.choices[0]?.delta.content ?? ''
 * ```
 */
export function* completionToChunks(completion: ChatCompletion, options: ChunkOptions = {}): Generator<ChatCompletionChunk> {
  const base: Pick<ChatCompletionChunk, 'id' | 'object' | 'created' | 'model' | 'system_fingerprint' | 'usage'> = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
  }
  if (completion.system_fingerprint != null) base.system_fingerprint = completion.system_fingerprint as string
  // OpenAI marks every chunk before the usage chunk with `usage: null` when usage was asked for.
  if (options.includeUsage) base.usage = null
  const chunk = (choice: ChatCompletionChunkChoice): ChatCompletionChunk => ({ ...base, choices: [choice] })
  const delta = (index: number, value: ChatCompletionChunkDelta, logprobs: unknown = null) =>
    chunk({ index, delta: value, logprobs, finish_reason: null })

  for (const [position, choice] of completion.choices.entries()) {
    const index = typeof choice.index === 'number' ? choice.index : position
    // The answer is decrypted data of an open shape: read it defensively.
    const message: Record<string, unknown> = choice.message ?? {}
    yield delta(index, { role: typeof message.role === 'string' ? message.role : 'assistant', content: '' })
    for (const field of TEXT_FIELDS) {
      const text = message[field]
      if (text === undefined || text === null || text === '') continue
      yield delta(index, { [field]: text }, field === 'content' ? (choice.logprobs ?? null) : null)
    }
    const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<Record<string, unknown>>) : []
    for (const [callIndex, call] of calls.entries()) {
      const fn = (call.function ?? {}) as { name?: unknown; arguments?: unknown }
      yield delta(index, {
        tool_calls: [
          { index: callIndex, id: String(call.id ?? ''), type: 'function', function: { name: String(fn.name ?? ''), arguments: '' } },
        ],
      })
      const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {})
      if (args) yield delta(index, { tool_calls: [{ index: callIndex, function: { arguments: args } }] })
    }
    yield chunk({ index, delta: {}, logprobs: null, finish_reason: choice.finish_reason ?? (calls.length ? 'tool_calls' : 'stop') })
  }
  if (options.includeUsage) yield { ...base, choices: [], usage: completion.usage ?? null }
}

/**
 * The answer of `create({ stream: true })`: iterate it for `chat.completion.chunk` objects. The
 * whole decrypted completion (with `_metadata`) is at hand as `completion`.
 *
 * @example
 * ```ts
 * const stream = await client.create({ model, messages, stream: true })
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * ```
 */
export class ChatCompletionStream implements AsyncIterable<ChatCompletionChunk> {
  /** The decrypted answer the chunks are cut from. */
  readonly completion: ChatCompletion
  readonly #options: ChunkOptions

  constructor(completion: ChatCompletion, options: ChunkOptions = {}) {
    this.completion = completion
    this.#options = { ...options }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk> {
    yield* completionToChunks(this.completion, this.#options)
  }

  /**
   * The chunks as a `text/event-stream` body (`data: {chunk}` events, then `data: [DONE]`), ready to
   * answer a browser or an OpenAI client from a server route.
   *
   * @example
   * ```ts
   * return new Response(stream.toReadableStream(), { headers: { 'content-type': 'text/event-stream' } })
   * ```
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    return encodeEventStream(completionToChunks(this.completion, this.#options))
  }
}

/**
 * What `create({ stream: true })` returns: a promise of the {@link ChatCompletionStream} (so
 * `await` surfaces request errors first, as in the `openai` package) that can also be iterated
 * directly with `for await`.
 *
 * @example
 * ```ts
 * for await (const chunk of client.create({ model, messages, stream: true })) console.log(chunk.choices[0]?.delta)
 * ```
 */
export type ChatCompletionStreamPromise = Promise<ChatCompletionStream> & AsyncIterable<ChatCompletionChunk>

/** Wraps the pending completion as a {@link ChatCompletionStreamPromise}. */
export function streamCompletion(completion: Promise<ChatCompletion>, options: ChunkOptions = {}): ChatCompletionStreamPromise {
  const stream = completion.then((answer) => new ChatCompletionStream(answer, options))
  return Object.assign(stream, {
    async *[Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk> {
      yield* await stream
    },
  })
}
