/**
 * readBounded (the router's and the relay's request reader): the whole body, exactly, whether a
 * length is declared or not and however it is chunked; over the limit, by header or by count, it
 * refuses. With a declared length it holds one buffer of that length (no chunk list and join).
 */
import { describe, expect, it } from 'vitest'
import { BodyTooLarge, readBounded } from '../../src/relay/bounded-body.js'

const bytesOf = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff)

/** A request whose body arrives in `chunk`-byte pieces, declaring its length or not. */
function request(body: Uint8Array, chunk: number, declare: boolean): Request {
  let at = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.length) return controller.close()
      controller.enqueue(body.slice(at, at + chunk))
      at += chunk
    },
  })
  const headers = declare ? { 'content-length': String(body.length) } : undefined
  return new Request('http://router.test/', { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit)
}

describe('readBounded', () => {
  it.each([
    [0, 10, true],
    [1, 10, false],
    [200_000, 65_536, true],
    [200_000, 65_536, false],
    [200_001, 1000, false],
  ])('reads %i bytes in %i-byte chunks (length declared: %s)', async (length, chunk, declare) => {
    const body = bytesOf(length)
    const read = await readBounded(request(body, chunk, declare), 1_000_000)
    expect(read.length).toBe(length)
    expect(Buffer.from(read).equals(Buffer.from(body))).toBe(true)
    if (declare) expect(read.buffer.byteLength).toBe(length)
  })

  it('refuses a declared length over the limit before reading', async () => {
    await expect(readBounded(request(bytesOf(10), 10, true), 5)).rejects.toBeInstanceOf(BodyTooLarge)
  })

  it('refuses a body that counts past the limit, declared or not', async () => {
    await expect(readBounded(request(bytesOf(300_000), 65_536, false), 200_000)).rejects.toBeInstanceOf(BodyTooLarge)
    await expect(readBounded(request(bytesOf(200_001), 50_000, false), 200_000)).rejects.toBeInstanceOf(BodyTooLarge)
  })
})
