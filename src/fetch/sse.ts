/**
 * Server-sent events in the dialect OpenAI-compatible servers speak: one `data: <json>` event per
 * chunk and a final `data: [DONE]`. Both the `openai` package and the AI SDK parse exactly this.
 */
import { utf8Encoder as encoder } from '../crypto/utf8.js'

const DONE = encoder.encode('data: [DONE]\n\n')

/**
 * Encodes `chunks` as a `text/event-stream` body. Events are produced on demand (pull), so a reader
 * that stops early does not make the rest get serialised.
 *
 * @example
 * ```ts
 * const body = encodeEventStream([{ object: 'chat.completion.chunk', choices: [] }])
 * new Response(body, { headers: { 'content-type': 'text/event-stream' } })
 * ```
 */
export function encodeEventStream(chunks: Iterable<unknown>): ReadableStream<Uint8Array> {
  let iterator: Iterator<unknown> | undefined
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      iterator ??= chunks[Symbol.iterator]()
      const next = iterator.next()
      if (next.done) {
        controller.enqueue(DONE)
        controller.close()
        return
      }
      // JSON.stringify never emits a raw newline, so one `data:` line holds the whole chunk.
      controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`))
    },
    cancel() {
      iterator?.return?.()
    },
  })
}

/** The headers of an event-stream answer: no caching or proxy buffering of a chat answer. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
}
