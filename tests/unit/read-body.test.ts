/**
 * How the transport reads a 2xx answer: straight into one buffer (the sealed request's own, when the
 * request says it is disposable, the platform fetch copied it and the answer fits), whatever the
 * framing, and never past the limit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { send, type HttpRequest } from '../../src/transport/http.js'
import { ProtocolError } from '../../src/errors.js'

const bytes = (length: number, seed = 7) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff)

/** An answer of `body` in `chunk`-byte pieces, declaring `declared` as its length (none when undefined). */
function answering(body: Uint8Array, options: { declared?: number; chunk?: number; status?: number } = {}) {
  const chunk = options.chunk ?? 1000
  return async () => {
    let at = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= body.length) return controller.close()
        controller.enqueue(body.slice(at, at + chunk))
        at += chunk
      },
    })
    const headers = options.declared === undefined ? undefined : { 'content-length': String(options.declared) }
    return new Response(stream, { status: options.status ?? 200, headers })
  }
}

const settings = (fetch: (() => Promise<Response>) | undefined, maxResponseBytes = 1 << 20) => ({
  fetch,
  timeout: 5000,
  maxRetries: 0,
  maxResponseBytes,
})
/** The platform fetch answering with `fetch`'s answers (the transport then owns a disposable body). */
const platform = (fetch: () => Promise<Response>) => {
  vi.stubGlobal('fetch', fetch)
  return settings(undefined)
}
afterEach(() => {
  vi.unstubAllGlobals()
})
const request = (body: Uint8Array, disposableBody = true): HttpRequest => ({
  url: 'https://router.invalid/x',
  method: 'POST',
  headers: {},
  body,
  disposableBody,
})

describe('reading a 2xx answer', () => {
  it("reads into the disposable request body's buffer when the answer fits", async () => {
    const answer = bytes(30_000)
    const sent = new Uint8Array(new ArrayBuffer(40_000), 0, 35_000)
    const { body } = await send(request(sent), platform(answering(answer, { declared: answer.length })))
    expect(body).toEqual(answer)
    expect(body.buffer).toBe(sent.buffer)
  })

  it('leaves the body alone with a custom fetch, which may still hold it', async () => {
    const answer = bytes(30_000)
    const sent = bytes(35_000, 3)
    const { body } = await send(request(sent), settings(answering(answer, { declared: answer.length })))
    expect(body).toEqual(answer)
    expect(sent).toEqual(bytes(35_000, 3))
  })

  it('reads into a buffer of its own when the answer does not fit, or the body is not disposable', async () => {
    const answer = bytes(30_000)
    for (const [sent, disposable] of [
      [new Uint8Array(20_000), true],
      [new Uint8Array(40_000), false],
    ] as const) {
      const { body } = await send(request(sent, disposable), platform(answering(answer, { declared: answer.length })))
      expect(body).toEqual(answer)
      expect(body.buffer).not.toBe(sent.buffer)
    }
  })

  it.each([
    ['no declared length', undefined],
    ['a declared length below the body (compressed framing)', 1000],
  ])('reads every byte with %s', async (_name, declared) => {
    const answer = bytes(100_000)
    const { body } = await send(request(new Uint8Array(10)), settings(answering(answer, { declared, chunk: 4096 })))
    expect(body).toEqual(answer)
  })

  it('refuses a body past the limit, declared or not', async () => {
    const answer = bytes(5000)
    for (const declared of [undefined, 5000]) {
      const error = await send(request(new Uint8Array(10)), settings(answering(answer, { declared }), 4000)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProtocolError)
    }
  })
})
