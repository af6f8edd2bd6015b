/**
 * How the transport reads a 2xx answer: straight into one buffer, whatever the framing, and never
 * past the limit. A large answer (LARGE_ANSWER_BYTES or more declared), or one of unknown length,
 * goes into the sealed request's own buffer when the request says it is disposable, the platform
 * fetch copied it and the answer fits, with a BYOB reader where the body offers one (the buffer is
 * then transferred).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LARGE_ANSWER_BYTES, send, type HttpRequest } from '../../src/transport/http.js'
import { ProtocolError } from '../../src/errors.js'

const bytes = (length: number, seed = 7) => {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}
/** Byte equality without vitest's element-by-element diff (megabytes here). */
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0
const LARGE = LARGE_ANSWER_BYTES + 30_000

/**
 * An answer of `body` in `chunk`-byte pieces, declaring `declared` as its length (none when
 * undefined); `byob` makes the body a byte stream, which offers a BYOB reader.
 */
function answering(body: Uint8Array, options: { declared?: number; chunk?: number; status?: number; byob?: boolean } = {}) {
  const chunk = options.chunk ?? 64 * 1024
  return async () => {
    let at = 0
    const stream = options.byob
      ? new ReadableStream({
          type: 'bytes',
          pull(controller) {
            const view = controller.byobRequest?.view
            if (at >= body.length) {
              controller.close()
              controller.byobRequest?.respond(0)
              return
            }
            if (view) {
              const n = Math.min(view.byteLength, chunk, body.length - at)
              new Uint8Array(view.buffer, view.byteOffset, n).set(body.subarray(at, at + n))
              at += n
              controller.byobRequest?.respond(n)
            } else {
              controller.enqueue(body.slice(at, at + chunk))
              at += chunk
            }
          },
        })
      : new ReadableStream<Uint8Array>({
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

const settings = (fetch: (() => Promise<Response>) | undefined, maxResponseBytes = 1 << 22) => ({
  fetch,
  timeout: 5000,
  maxRetries: 0,
  maxResponseBytes,
})
/** The platform fetch answering with `fetch`'s answers (the transport then owns a disposable body). */
const platform = (fetch: () => Promise<Response>, maxResponseBytes?: number) => {
  vi.stubGlobal('fetch', fetch)
  return settings(undefined, maxResponseBytes)
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
  it("reads a large answer into the disposable request body's buffer when it fits", async () => {
    const answer = bytes(LARGE)
    const sent = new Uint8Array(new ArrayBuffer(LARGE + 10_000), 0, LARGE + 5000)
    const { body } = await send(request(sent), platform(answering(answer, { declared: answer.length })))
    expect(same(body, answer)).toBe(true)
    expect(body.buffer).toBe(sent.buffer)
  })

  it('reads a large answer with a BYOB reader where the body has one: into the same memory, transferred', async () => {
    const answer = bytes(LARGE)
    const sent = new Uint8Array(new ArrayBuffer(LARGE + 10_000), 0, LARGE + 5000)
    const { body } = await send(request(sent), platform(answering(answer, { declared: answer.length, byob: true })))
    expect(same(body, answer)).toBe(true)
    // The reads transferred the request's buffer into the answer's: the old views are empty.
    expect(sent.byteLength).toBe(0)
    expect(body.buffer.byteLength).toBe(LARGE + 10_000)
  })

  it("reads an answer of unknown length into all of the request body's buffer, by chunks or BYOB", async () => {
    for (const byob of [false, true]) {
      const answer = bytes(50_000)
      const sent = new Uint8Array(new ArrayBuffer(80_000), 0, 20_000)
      const { body } = await send(request(sent), platform(answering(answer, { byob, chunk: 4096 })))
      expect(same(body, answer)).toBe(true)
      if (byob) expect([sent.byteLength, body.buffer.byteLength]).toEqual([0, 80_000])
      else expect(body.buffer).toBe(sent.buffer)
    }
  })

  it("moves an answer of unknown length that outgrows the request body's buffer, and frees that", async () => {
    const answer = bytes(LARGE)
    const sent = new Uint8Array(new ArrayBuffer(LARGE / 2))
    const { body } = await send(request(sent), platform(answering(answer, { byob: true })))
    expect(same(body, answer)).toBe(true)
    expect(sent.byteLength).toBe(0)
    expect(body.buffer.byteLength).toBeGreaterThanOrEqual(LARGE)
  })

  it('leaves the body alone with a custom fetch, which may still hold it', async () => {
    const answer = bytes(LARGE)
    const sent = bytes(LARGE + 5000, 3)
    const { body } = await send(request(sent), settings(answering(answer, { declared: answer.length, byob: true })))
    expect(same(body, answer)).toBe(true)
    expect(same(sent, bytes(LARGE + 5000, 3))).toBe(true)
  })

  it('reads into a buffer of its own when the answer is small or does not fit, or the body is not disposable', async () => {
    for (const [size, sent, disposable] of [
      [30_000, new Uint8Array(40_000), true],
      [LARGE, new Uint8Array(LARGE - 1), true],
      [LARGE, new Uint8Array(LARGE + 1), false],
    ] as const) {
      for (const byob of [false, true]) {
        const answer = bytes(size)
        const { body } = await send(request(sent, disposable), platform(answering(answer, { declared: answer.length, byob })))
        expect(same(body, answer)).toBe(true)
        expect(body.buffer).not.toBe(sent.buffer)
        if (!disposable) expect(sent.byteLength).toBe(LARGE + 1)
      }
    }
  })

  it.each([
    ['no declared length', undefined, false],
    ['a declared length below the body (compressed framing)', 1000, false],
    ['a large declared length below the body, BYOB', LARGE_ANSWER_BYTES, true],
  ])('reads every byte with %s', async (_name, declared, byob) => {
    const answer = bytes(LARGE + 100_000)
    const { body } = await send(request(new Uint8Array(LARGE + 10)), platform(answering(answer, { declared, chunk: 4096, byob })))
    expect(same(body, answer)).toBe(true)
  })

  it('refuses a body past the limit, declared or not, read by chunks or BYOB', async () => {
    const answer = bytes(LARGE + 5000)
    for (const byob of [false, true]) {
      for (const declared of [undefined, LARGE + 5000, LARGE]) {
        const error = await send(request(new Uint8Array(10)), platform(answering(answer, { declared, byob }), LARGE + 4000)).catch(
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(ProtocolError)
      }
    }
  })
})
