/**
 * Large bodies through streams instead of whole copies, both ways; the transport loads this module
 * only for a large body (http.ts), so browser pages that never send one never download it.
 *
 * Requests: a body sent as a stream of slices of its bytes. Given a byte body, `fetch` first copies
 * it whole (the Fetch standard's "copy of the bytes"): 10 MiB more at the peak of a 10 MiB request
 * in Node (undici) and Deno (a copy handed to Rust). Given a stream, it reads one slice at a time
 * and sends it: no copy of the whole ever exists. Only for runtimes that send a streamed body over
 * HTTP/1.1; browsers refuse to (Chromium needs HTTP/2 and `duplex: 'half'`, Firefox and Safari have
 * no streamed uploads), so the entries of the runtimes that do turn it on (`Platform.defaults`,
 * runtime/entry.ts).
 *
 * Answers: read into the request's buffer when that is free (one buffer for both directions), a
 * 2xx answer of unknown length (a router that streams it, as this package's Node server does) into
 * all of it, moved to a larger buffer (and the request's freed) only if it outgrows it. Read with a
 * BYOB reader straight into it where the runtime has one (Node and Deno do; Bun has none for fetch
 * bodies): a default reader hands over chunks the runtime allocated (64 KiB each in Deno), garbage
 * that adds up to the whole answer before a collection.
 */
import { ProtocolError } from '../errors.js'
import { releaseBuffer } from '../crypto/release.js'
import { grown, readChunks } from './http.js'

/** Bytes per slice: 40 reads for 10 MiB, and a slice in flight is small beside the body. */
export const UPLOAD_SLICE_BYTES = 256 * 1024

/**
 * Smaller bodies go as bytes: their copy is small, and a stream costs CPU (at 1 KiB, 0.1-0.3 ms
 * more per request in Node and Bun, against a target of the bare fetch + 1 ms).
 */
export const STREAM_UPLOAD_MIN_BYTES = 1024 * 1024

export interface UploadStream {
  /** A fresh stream over the bytes; each attempt of a request needs its own. */
  stream: ReadableStream<Uint8Array>
  /**
   * Whether `fetch` has read the stream to its end. Only then is the body's buffer free for
   * something else (the answer, see readBody in http.ts): before, a slice may still be read from it.
   */
  readonly finished: boolean
}

/**
 * Makes `init` send its byte body, when it has one of {@link STREAM_UPLOAD_MIN_BYTES} or more, as an
 * {@link uploadStream}: with its `Content-Length` (Node and Bun send it with a stream body; Deno
 * drops it and sends chunked) and the `duplex: 'half'` a stream body requires. Undefined when the
 * body stays as it is.
 */
export function streamBody(init: RequestInit): UploadStream | undefined {
  const bytes = init.body
  if (!(bytes instanceof Uint8Array) || bytes.length < STREAM_UPLOAD_MIN_BYTES) return undefined
  const upload = uploadStream(bytes)
  const headers = new Headers(init.headers)
  headers.set('Content-Length', String(bytes.length))
  // `duplex` is not yet in TypeScript's RequestInit.
  Object.assign(init, { headers, body: upload.stream, duplex: 'half' })
  return upload
}

/**
 * A pull stream of views into `bytes`, one slice per read. Not a byte stream (`type: 'bytes'`):
 * a byte stream transfers every chunk it is given, which would detach `bytes` and leave nothing
 * for a retry. The slices are views, not copies, so `bytes` must stay as it is until `finished`.
 */
export function uploadStream(bytes: Uint8Array, sliceBytes = UPLOAD_SLICE_BYTES): UploadStream {
  let offset = 0
  let finished = false
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          finished = true
          controller.close()
          return
        }
        const end = Math.min(offset + sliceBytes, bytes.length)
        controller.enqueue(bytes.subarray(offset, end))
        offset = end
      },
    },
    // Nothing is read ahead: a slice is made when fetch asks for one.
    { highWaterMark: 0 },
  )
  return {
    stream,
    get finished() {
      return finished
    },
  }
}

/**
 * Reads a 2xx answer of `length` bytes (0: not declared) whole into `spare`'s buffer when it fits
 * (an answer of unknown length is read into all of it, and moved to a larger buffer if it needs
 * one), else into a buffer of its own (`spare` is released); with a BYOB reader where the runtime
 * has one for `body`, else chunk by chunk. More than `limit` bytes are refused.
 *
 * A BYOB read transfers the buffer it reads into: `spare`'s buffer is detached by the first read,
 * and what the caller gets back is a view of the same memory under a new `ArrayBuffer`.
 */
export async function readLarge(body: ReadableStream<Uint8Array>, length: number, limit: number, spare?: Uint8Array): Promise<Uint8Array> {
  const room = Math.min(limit, spare?.buffer.byteLength ?? 0)
  const fits = spare !== undefined && length <= room
  if (spare && !fits) releaseBuffer(spare)
  let out = fits ? new Uint8Array(spare.buffer, 0, length || room) : new Uint8Array(length)
  let reader: ReadableStreamBYOBReader
  try {
    reader = body.getReader({ mode: 'byob' })
  } catch {
    return readChunks(body.getReader(), out, limit, true)
  }
  let total = 0
  for (;;) {
    if (total === out.length) {
      // Full: one byte more tells the end of the body from an answer larger than the room.
      const probe = await reader.read(new Uint8Array(1))
      if (probe.done) break
      if (total === limit) {
        await reader.cancel().catch(() => {})
        throw new ProtocolError(`The answer is larger than the ${limit}-byte limit`)
      }
      const full = out
      out = grown(full, Math.min(limit, Math.max(2 * total, 64 * 1024)))
      releaseBuffer(full)
      out[total++] = probe.value[0] ?? 0
      continue
    }
    const size = out.length
    const { done, value } = await reader.read(out.subarray(total) as Uint8Array<ArrayBuffer>)
    if (value) out = new Uint8Array(value.buffer, 0, size)
    if (done || !value) break
    total += value.length
  }
  return out.subarray(0, total)
}
