/**
 * Large answers without whole copies; the transport loads this module only for a large answer
 * (http.ts), so browser pages that never get one never download it. Large requests go as a stream
 * of slices where the runtime sends one (`#platform/upload-stream`).
 *
 * Answers are read into the request's buffer when that is free (one buffer for both directions), a
 * 2xx answer of unknown length (a router that streams it, as this package's Node server does) into
 * all of it, moved to a larger buffer (and the request's freed) only if it outgrows it. Read with a
 * BYOB reader straight into it where the runtime has one (Node and Deno do; Bun has none for fetch
 * bodies): a default reader hands over chunks the runtime allocated (64 KiB each in Deno, 256 KiB in
 * Bun), garbage that adds up to the whole answer before a collection. So Bun frees each chunk as soon
 * as it is copied (`releaseChunk`, `#platform/bytes`).
 */
import { releaseChunk } from '#platform/bytes'
import { releaseBuffer } from '../crypto/release.js'
import { type ChunkReader, answerTooLarge, grown, readChunks } from './http.js'

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
    // Bun frees each chunk once copied (`#platform/bytes`); the branch is gone from other builds.
    return readChunks(releaseChunk ? releasingEach(body.getReader(), releaseChunk) : body.getReader(), out, limit, () =>
      answerTooLarge(limit),
    )
  }
  let total = 0
  for (;;) {
    if (total === out.length) {
      // Full: one byte more tells the end of the body from an answer larger than the room.
      const probe = await reader.read(new Uint8Array(1))
      if (probe.done) break
      if (total === limit) {
        await reader.cancel().catch(() => {})
        throw answerTooLarge(limit)
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

/**
 * `reader`, with each chunk it handed over released when the next one is asked for: `readChunks`
 * has copied it by then, and holds no chunk across reads.
 */
function releasingEach(reader: ReadableStreamDefaultReader<Uint8Array>, release: (chunk: Uint8Array) => void): ChunkReader {
  let last: Uint8Array | undefined
  return {
    async read() {
      if (last) release(last)
      const result = await reader.read()
      last = result.value
      return result
    },
    cancel: (reason) => reader.cancel(reason),
  }
}
