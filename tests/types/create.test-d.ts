/** Type-level checks of `create` (run by vitest's typecheck mode through tsc, not at run time). */
import { describe, expectTypeOf, it } from 'vitest'
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionStream,
  ChatCompletionStreamPromise,
  SecureChatCompletion,
} from '../../src/index.js'

declare const client: SecureChatCompletion
const messages = [{ role: 'user' as const, content: 'hi' }]

describe('create', () => {
  it('stream: true is the stream type, otherwise the completion', () => {
    expectTypeOf(client.create({ model: 'm', messages, stream: true })).toEqualTypeOf<ChatCompletionStreamPromise>()
    expectTypeOf(client.chat.completions.create({ model: 'm', messages, stream: true })).toEqualTypeOf<ChatCompletionStreamPromise>()
    expectTypeOf(client.create({ model: 'm', messages })).toEqualTypeOf<Promise<ChatCompletion>>()
    expectTypeOf(client.create({ model: 'm', messages, stream: false })).toEqualTypeOf<Promise<ChatCompletion>>()
    expectTypeOf(client.chat.completions.create({ model: 'm', messages })).toEqualTypeOf<Promise<ChatCompletion>>()
    expectTypeOf<Awaited<ChatCompletionStreamPromise>>().toEqualTypeOf<ChatCompletionStream>()
    expectTypeOf<ChatCompletionStreamPromise>().toMatchTypeOf<AsyncIterable<ChatCompletionChunk>>()
  })

  it('a wrong type fails the check (the check has teeth)', () => {
    // @ts-expect-error a completion is not a stream
    expectTypeOf(client.create({ model: 'm', messages })).toEqualTypeOf<ChatCompletionStreamPromise>()
  })
})
