/**
 * Bun's byte codecs (`#platform/bytes` under the `bun` condition), here in Node with the alias
 * pointed at them: a large answer's base64 is decoded from its wire bytes in JavaScript, exactly as
 * strictly as the native decoders, in place; and the chunks of an answer read without a BYOB reader
 * are freed once copied, never before. The runtime suite runs the same paths in real Bun.
 */
import { describe, expect, it, vi } from 'vitest'
import * as bun from '../../src/platform/bytes-bun.js'
import { decodeBase64Into } from '../../src/crypto/base64.js'
import { parsePackage, encodePackage } from '../../src/protocol/package.js'
import { send } from '../../src/transport/http.js'

vi.mock('#platform/bytes', () => import('../../src/platform/bytes-bun.js'))

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const random = (length: number) => {
  const out = new Uint8Array(length)
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536))
  return out
}
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const ascii = (text: string) => new TextEncoder().encode(text)
/** Byte equality without vitest's element-by-element diff (megabytes here). */
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0

describe("Bun's base64 decoder", () => {
  it('is what #platform/bytes gives the codecs here', async () => {
    expect((await import('#platform/bytes')).decodeBase64Quanta).toBe(bun.decodeBase64Quanta)
  })

  it.each([0, 1, 2, 3, 4, 5, 300, 100_000])('decodes the base64 of %i bytes from its ASCII bytes as Buffer does', (length) => {
    const bytes = random(length)
    const target = new Uint8Array(length)
    expect(decodeBase64Into(ascii(base64(bytes)), target)).toBe(true)
    expect(same(target, bytes)).toBe(true)
  })

  it('decodes in place: into the start of the buffer that holds the text', () => {
    const bytes = random(300_001)
    const text = ascii(`{"ciphertext":"${base64(bytes)}"}`)
    const start = text.indexOf(0x22, 14) + 1
    const span = text.subarray(start, text.length - 2)
    expect(decodeBase64Into(span, text.subarray(0, bytes.length))).toBe(true)
    expect(same(text.subarray(0, bytes.length), bytes)).toBe(true)
  })

  it('refuses every byte outside the alphabet, padding included, in any position of a quantum', () => {
    const bytes = random(3000)
    const good = ascii(base64(bytes))
    const outside = [...Array(256).keys()].filter((byte) => !ALPHABET.includes(String.fromCharCode(byte)))
    expect(outside).toHaveLength(192)
    for (const at of [0, 1, 2, 3, 1001, 2002, good.length - 5]) {
      for (const byte of outside) {
        const bad = good.slice()
        bad[at] = byte
        expect(decodeBase64Into(bad, new Uint8Array(bytes.length))).toBe(false)
      }
    }
  })

  it('keeps the last quantum to the canonical padding rules', () => {
    const two = ascii(`${base64(random(3))}QUI=`)
    expect(decodeBase64Into(two, new Uint8Array(5))).toBe(true)
    // A pad bit set, and padding in a quantum that is not the last.
    expect(decodeBase64Into(ascii(`${base64(random(3))}QUJ=`), new Uint8Array(5))).toBe(false)
    expect(decodeBase64Into(ascii(`QQ==${base64(random(3))}`), new Uint8Array(4))).toBe(false)
  })

  it('opens a package parsed in place from its wire bytes, and refuses one with a stray byte', () => {
    const ciphertext = random(200_016)
    const parts = { ciphertext, nonce: random(12), wrappedKey: random(512) }
    const wire = encodePackage(parts)
    const parsed = parsePackage(wire.slice(), { inPlace: true })
    expect(same(parsed.parts.ciphertext, ciphertext)).toBe(true)
    const start = wire.indexOf(0x22, new TextDecoder().decode(wire.subarray(0, 100)).indexOf('"ciphertext":') + 13) + 1
    expect(wire.indexOf(0x22, start) - start).toBe(266_668)
    const bad = wire.slice()
    bad[start + 100_000] = 0x2d
    expect(() => parsePackage(bad, { inPlace: true })).toThrow('not standard padded base64')
  })
})

describe("Bun's chunk release", () => {
  /** A chunk whose buffer's `transfer` really detaches it (Node 20 has no `transfer` of its own). */
  const detachable = (bytes: Uint8Array) => {
    const chunk = bytes.slice()
    const buffer = chunk.buffer as ArrayBuffer & { transfer?: () => void }
    buffer.transfer = () => void structuredClone(buffer, { transfer: [buffer] })
    return chunk
  }

  it('frees a chunk that is its whole buffer, and leaves a view into a larger one alone', () => {
    const whole = detachable(random(100))
    bun.releaseChunk?.(whole)
    expect(whole.byteLength).toBe(0)
    const framed = detachable(random(100))
    const view = framed.subarray(10, 90)
    bun.releaseChunk?.(view)
    expect([view.byteLength, framed.byteLength]).toEqual([80, 100])
  })

  it('frees each chunk of an answer read without a BYOB reader once it is copied, and the answer is whole', async () => {
    const answer = random(1024 * 1024 + 30_000)
    const handedOver: Uint8Array[] = []
    let at = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= answer.length) return controller.close()
        const chunk = detachable(answer.subarray(at, at + 65536))
        handedOver.push(chunk)
        controller.enqueue(chunk)
        at += 65536
      },
    })
    vi.stubGlobal('fetch', async () => new Response(body, { headers: { 'content-length': String(answer.length) } }))
    try {
      const sent = new Uint8Array(answer.length + 1000)
      const request = { url: 'https://router.invalid/x', method: 'POST' as const, headers: {}, body: sent, disposableBody: true }
      const { body: read } = await send(request, { timeout: 5000, maxRetries: 0, maxResponseBytes: 1 << 22 })
      expect(same(read, answer)).toBe(true)
      expect(read.buffer).toBe(sent.buffer)
      // Every chunk but the last was freed when the next was asked for; the last is left to the GC.
      expect(handedOver.length).toBe(Math.ceil(answer.length / 65536))
      expect(handedOver.slice(0, -1).every((chunk) => chunk.byteLength === 0)).toBe(true)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
