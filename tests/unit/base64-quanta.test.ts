/**
 * The bytes-to-bytes base64 loops (`src/platform/base64-quanta.ts`: Deno both ways, Bun decoding),
 * checked against Node's Buffer, an independent codec: the same characters out, the same bytes
 * back, in place, and nothing but the standard alphabet accepted. Then `src/crypto/base64.ts`
 * running on Deno's codecs (this file swaps `#platform/bytes` for `bytes-deno.ts`), where the loops
 * take the bulk and the string path the tail, so padding and its canonical form still hold. The
 * suite case `base64.ts` runs the real modules in Deno and Bun.
 */
import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { decodeBase64, decodeBase64Into, encodeBase64Into } from '../../src/crypto/base64.js'
import { decodeBase64Quanta, encodeBase64Quanta } from '../../src/platform/base64-quanta.js'
import * as deno from '../../src/platform/bytes-deno.js'

vi.mock('#platform/bytes', () => import('../../src/platform/bytes-deno.js'))

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'))
const ALPHABET = new Set(ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'))
// Whole quanta of 3 bytes, both below and past the loops' 12-byte turns.
const groups = fc.integer({ min: 0, max: 60 }).chain((n) => fc.uint8Array({ minLength: n * 3, maxLength: n * 3 }))

describe('the base64 quanta loops', () => {
  it("are what #platform/bytes gives Deno's codecs", async () => {
    const platform = await import('#platform/bytes')
    expect([platform.encodeBase64Quanta, platform.decodeBase64Quanta]).toEqual([deno.encodeBase64Quanta, deno.decodeBase64Quanta])
    expect(deno.encodeBase64Quanta).toBe(encodeBase64Quanta)
  })

  it('encode as Buffer does', () => {
    fc.assert(
      fc.property(groups, (bytes) => {
        const target = new Uint8Array((bytes.length / 3) * 4 + 5)
        const written = encodeBase64Quanta(bytes, target)
        expect(written).toBe((bytes.length / 3) * 4)
        expect(Buffer.from(target.subarray(0, written)).toString('latin1')).toBe(Buffer.from(bytes).toString('base64'))
      }),
    )
  })

  it('decode as Buffer does, also in place over its own text at any offset', () => {
    fc.assert(
      fc.property(groups, fc.integer({ min: 0, max: 7 }), (bytes, offset) => {
        const text = ascii(Buffer.from(bytes).toString('base64'))
        const target = new Uint8Array(bytes.length)
        expect(decodeBase64Quanta(text, target)).toBe(true)
        expect(target).toEqual(bytes)
        // In place: the text starts at an odd offset of a larger buffer, the bytes land from there.
        const shared = new Uint8Array(offset + text.length)
        shared.set(text, offset)
        expect(decodeBase64Quanta(shared.subarray(offset), shared.subarray(offset, offset + bytes.length))).toBe(true)
        expect(shared.subarray(offset, offset + bytes.length)).toEqual(bytes)
      }),
    )
  })

  it('refuse every byte outside the standard alphabet, at every position, in the turns and the rest', () => {
    // 51 bytes: four turns of 16 characters, then one quantum on its own.
    const text = ascii(Buffer.from(new Uint8Array(51).fill(0xa5)).toString('base64'))
    const target = new Uint8Array(51)
    for (let byte = 0; byte < 256; byte++) {
      if (ALPHABET.has(byte)) continue
      for (let at = 0; at < text.length; at++) {
        const bad = text.slice()
        bad[at] = byte
        expect(decodeBase64Quanta(bad, target), `byte ${byte} at ${at}`).toBe(false)
      }
    }
  })
})

describe("base64.ts with Deno's loops taking the bulk", () => {
  it('writes and reads back every length, padding and all', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37 + length) & 0xff)
      const target = new Uint8Array(Math.ceil(length / 3) * 4)
      expect(encodeBase64Into(bytes, target)).toBe(target.length)
      const text = Buffer.from(target).toString('latin1')
      expect(text).toBe(Buffer.from(bytes).toString('base64'))
      const back = new Uint8Array(length)
      expect(decodeBase64Into(target, back), `length ${length}`).toBe(true)
      expect(back).toEqual(bytes)
    }
  })

  it('refuses a stray byte anywhere, a non-canonical tail and misplaced padding from bytes', () => {
    const text = ascii(Buffer.from(new Uint8Array(61).fill(7)).toString('base64'))
    const target = new Uint8Array(61)
    expect(decodeBase64Into(text, target)).toBe(true)
    for (let at = 0; at < text.length; at++) {
      for (const stray of ['-', '_', ' ', '=']) {
        const bad = text.slice()
        bad[at] = stray.charCodeAt(0)
        if (bad[at] === text[at]) continue // the padding itself
        expect(decodeBase64Into(bad, target), `${stray} at ${at}`).toBe(false)
      }
    }
    // 61 bytes end in one byte and two padding characters: 7 is `Bw==`, and `Bx==` also reads 7
    // to a lenient decoder, but its unused bits are not zero (RFC 4648 §3.5).
    expect(Buffer.from(text.subarray(-4)).toString('latin1')).toBe('Bw==')
    const loose = text.slice()
    loose[loose.length - 3] = 'x'.charCodeAt(0)
    expect(decodeBase64Into(loose, target)).toBe(false)
    expect(decodeBase64('QQ==')).toEqual(new Uint8Array([0x41]))
    expect(decodeBase64('QR==')).toBeUndefined()
  })
})
