/**
 * Large request bodies go to the platform fetch as a stream of slices (no whole copy in fetch):
 * every attempt gets a fresh stream over the same bytes, a custom fetch still gets the bytes, the
 * router receives them whole with their Content-Length, and a large answer is only read into the
 * request's buffer once fetch has read the stream to its end (through Node's real fetch, with its
 * BYOB reader).
 */
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type HttpRequest, LARGE_ANSWER_BYTES, send } from '../../src/transport/http.js'
import { STREAM_UPLOAD_MIN_BYTES, UPLOAD_SLICE_BYTES, uploadStream } from '../../src/platform/upload-stream.js'

const bytes = (length: number, seed = 7) => {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}
const BIG = STREAM_UPLOAD_MIN_BYTES + 12_345

/** Reads `stream` (or a reader of it) to its end, or until `limit` bytes came. */
async function readAll(
  from: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array[]> {
  const reader = from instanceof ReadableStream ? from.getReader() : from
  const chunks: Uint8Array[] = []
  let total = 0
  while (total < limit) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    total += value.length
  }
  return chunks
}
/** Byte equality without vitest's element-by-element diff (megabytes here). */
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0
const joined = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks))

describe('uploadStream', () => {
  it('gives views of the bytes in slices, finished only after the last, leaving the bytes intact for the next stream', async () => {
    const body = bytes(3 * UPLOAD_SLICE_BYTES + 5)
    const upload = uploadStream(body)
    const reader = upload.stream.getReader()
    const chunks: Uint8Array[] = []
    for (let i = 0; i < 4; i++) {
      const { value } = await reader.read()
      expect(value!.buffer).toBe(body.buffer)
      chunks.push(value!)
      expect(upload.finished).toBe(false)
    }
    expect((await reader.read()).done).toBe(true)
    expect(upload.finished).toBe(true)
    expect(chunks.map((chunk) => chunk.length)).toEqual([UPLOAD_SLICE_BYTES, UPLOAD_SLICE_BYTES, UPLOAD_SLICE_BYTES, 5])
    expect(same(joined(chunks), bytes(body.length))).toBe(true)
    // Not a byte stream: nothing was transferred, so a retry can send the same bytes again.
    expect(body.byteLength).toBe(3 * UPLOAD_SLICE_BYTES + 5)
    expect(same(joined(await readAll(uploadStream(body).stream)), bytes(body.length))).toBe(true)
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const request = (body: Uint8Array): HttpRequest => ({
  url: 'https://router.invalid/x',
  method: 'POST',
  headers: {},
  body,
  disposableBody: true,
})
const settings = (extra: object = {}) => ({ timeout: 5000, maxRetries: 1, maxResponseBytes: 1 << 22, streamUploads: true, ...extra })

/**
 * A large answer (read into the request's buffer when that is free) on a default stream, which has
 * no BYOB reader: the buffer keeps its identity (a BYOB read would transfer it; read-body.test.ts).
 */
const ANSWER = LARGE_ANSWER_BYTES + 1000
const largeAnswer = () => {
  const answer = bytes(ANSWER, 3)
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(answer.slice())
      controller.close()
    },
  })
  return new Response(stream, { headers: { 'content-length': String(ANSWER) } })
}

/** Stubs the platform fetch: `handle` gets each request it is given, as a Request. */
function platformFetch(handle: (request: Request, call: number) => Promise<Response>) {
  let calls = 0
  vi.stubGlobal('fetch', (input: Request | string, init?: RequestInit) =>
    handle(input instanceof Request ? input : new Request(input, init), calls++),
  )
}

describe('streamed uploads', () => {
  it('reads the answer into the request buffer once fetch has read the whole stream', async () => {
    const sent = bytes(BIG)
    platformFetch(async (req) => {
      expect(same(joined(await readAll(req.body!)), bytes(BIG))).toBe(true)
      return largeAnswer()
    })
    const { body } = await send(request(sent), settings())
    expect(same(body, bytes(ANSWER, 3))).toBe(true)
    expect(body.buffer).toBe(sent.buffer)
  })

  it('leaves the request buffer alone when the answer comes before fetch read the whole stream', async () => {
    const sent = bytes(BIG)
    let unread: ReadableStreamDefaultReader<Uint8Array> | undefined
    platformFetch(async (req) => {
      unread = req.body!.getReader()
      await readAll(unread, UPLOAD_SLICE_BYTES)
      return largeAnswer()
    })
    const { body } = await send(request(sent), settings())
    expect(same(body, bytes(ANSWER, 3))).toBe(true)
    expect(body.buffer).not.toBe(sent.buffer)
    // What fetch has yet to send is still the request, not the answer.
    expect(same(sent, bytes(BIG))).toBe(true)
    expect(same(joined(await readAll(unread!)), bytes(BIG).subarray(UPLOAD_SLICE_BYTES))).toBe(true)
  })

  it('sends a fresh stream of the same bytes on a retry', async () => {
    const sent = bytes(BIG)
    const received: Uint8Array[] = []
    platformFetch(async (req, call) => {
      received.push(joined(await readAll(req.body!, call === 0 ? UPLOAD_SLICE_BYTES : undefined)))
      if (call === 0) throw new TypeError('fetch failed')
      return new Response('ok')
    })
    await send(request(sent), settings())
    expect(received).toHaveLength(2)
    expect(same(received[0]!, bytes(BIG).subarray(0, UPLOAD_SLICE_BYTES))).toBe(true)
    expect(same(received[1]!, bytes(BIG))).toBe(true)
  })

  it('gives a custom fetch the bytes, and small bodies go to the platform fetch as bytes', async () => {
    const sent = bytes(BIG)
    let given: unknown
    await send(request(sent), settings({ fetch: async (_url: string, init: RequestInit) => ((given = init.body), new Response('ok')) }))
    expect(given).toBe(sent)
    // A small body (in a buffer with room for the answer): fetch copied it, so the answer goes into
    // its buffer without any read of the body.
    const small = new Uint8Array(new ArrayBuffer(2 * BIG), 0, STREAM_UPLOAD_MIN_BYTES - 1)
    platformFetch(async () => largeAnswer())
    expect((await send(request(small), settings())).body.buffer).toBe(small.buffer)
  })

  it('hands the platform fetch a Request only for a big byte body, where undici then copies it once', async () => {
    const calls: [unknown, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', async (input: unknown, init?: RequestInit) => (calls.push([input, init]), new Response('ok')))
    const big = bytes(BIG)
    await send(request(big), settings({ streamUploads: false }))
    const [input, init] = calls[0]!
    expect(input).toBeInstanceOf(Request)
    expect(init).toBeUndefined()
    expect(same(new Uint8Array(await (input as Request).arrayBuffer()), bytes(BIG))).toBe(true)
    // Small bytes (and streams) go as (url, init): building the Request costs Node CPU on every call.
    const small = bytes(1000)
    await send(request(small), settings({ streamUploads: false }))
    expect(calls[1]![0]).toBe('https://router.invalid/x')
    expect(calls[1]![1]!.body).toBe(small)
  })

  it("goes whole to a router through Node's fetch, with its Content-Length; the large answer comes back into its buffer", async () => {
    const seen: { headers: IncomingHttpHeaders; body: Uint8Array }[] = []
    const server = createServer(async (req, res) => {
      const chunks: Uint8Array[] = []
      for await (const chunk of req) chunks.push(chunk)
      seen.push({ headers: req.headers, body: joined(chunks) })
      res.setHeader('content-length', ANSWER)
      res.end(bytes(ANSWER, 3))
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      const sent = bytes(3 * STREAM_UPLOAD_MIN_BYTES)
      const answer = await send({ ...request(sent), url: `http://127.0.0.1:${port}/` }, settings())
      expect(same(answer.body, bytes(ANSWER, 3))).toBe(true)
      // Read with Node's BYOB reader into the request's memory: its buffer was transferred.
      expect(sent.byteLength).toBe(0)
      expect(answer.body.buffer.byteLength).toBe(3 * STREAM_UPLOAD_MIN_BYTES)
      expect(seen[0]!.headers['content-length']).toBe(String(3 * STREAM_UPLOAD_MIN_BYTES))
      expect(seen[0]!.headers['transfer-encoding']).toBeUndefined()
      expect(same(seen[0]!.body, bytes(3 * STREAM_UPLOAD_MIN_BYTES))).toBe(true)
    } finally {
      server.close()
    }
  })
})
