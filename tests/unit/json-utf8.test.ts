/**
 * The JSON text in pieces and its UTF-8 with package room (`src/platform/json-utf8.ts`): the bytes
 * are JSON.stringify's, exactly, whatever the payload holds (escapes, surrogate pairs and lone halves
 * at the slice edges, toJSON, several long strings), and text that outgrows its room leaves no
 * plaintext behind. The browser version (`json-utf8-browser.ts`, the text whole) writes the same bytes.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { encodeJsonWithRoom, escapedContent, jsonText } from '../../src/platform/json-utf8.js'
import * as browser from '../../src/platform/json-utf8-browser.js'
import { packageCapacity } from '../../src/protocol/package.js'
import { ciphertextLead } from '../../src/protocol/ciphertext-lead.js'
import { utf8Encoder } from '../../src/crypto/utf8.js'

// Counts the calls to the platform's fast slice writer (Node's: the ASCII one), passing them through.
const fastWriter = vi.hoisted(() => ({ calls: 0 }))
vi.mock('#platform/bytes', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/platform/bytes-node.js')>()
  const writeJsonContent: typeof real.writeJsonContent = (content, into, at) => {
    fastWriter.calls++
    return real.writeJsonContent!(content, into, at)
  }
  return { ...real, writeJsonContent }
})

const LONG = 64 * 1024
const SLICE = 32 * 1024

const joined = (value: unknown) => {
  const pieces: string[] = []
  const text = jsonText(value)
  text.forEachPiece((piece, raw) => pieces.push(raw ? escapedContent(piece) : piece))
  return { pieces, text: pieces.join(''), length: text.length, exact: text.exact }
}

const sameBytes = (value: unknown) => {
  const bytes = encodeJsonWithRoom(value, packageCapacity)
  expect(Buffer.from(bytes).equals(Buffer.from(JSON.stringify(value)))).toBe(true)
  return bytes
}

// UTF-16 units that JSON treats differently: escapes, non-ASCII, both surrogate halves.
const unit = fc.constantFrom('a', ' ', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\ud83d', '\ude00', '😀')
// A long string: a random motif repeated past the threshold, from a random start so that the
// slice edges fall on every kind of unit.
const longString = fc.tuple(fc.array(unit, { minLength: 1, maxLength: 40 }), fc.nat(5000)).map(([motif, extra]) => {
  const text = motif.join('')
  return text.repeat(Math.ceil((LONG + extra) / text.length)).slice(extra % text.length)
})

describe('jsonText', () => {
  it('is JSON.stringify, exactly, for payloads with long strings anywhere', () => {
    fc.assert(
      fc.property(fc.array(longString, { minLength: 1, maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), (longs, other) => {
        const value = {
          model: 'm',
          other,
          messages: longs.map((content, i) => ({ role: i % 2 ? 'user' : 'system', content })),
          tail: longs[0],
        }
        const { text, pieces, exact } = joined(value)
        expect(exact).toBe(false)
        expect(text).toBe(JSON.stringify(value))
        // No piece is long: that is the point.
        expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(6 * SLICE)
      }),
      { numRuns: 60 },
    )
  })

  it('never splits a surrogate pair at a slice edge, and keeps lone halves lone', () => {
    for (const at of [SLICE - 2, SLICE - 1, SLICE, 2 * SLICE - 1]) {
      const pair = `${'a'.repeat(at)}😀${'b'.repeat(LONG)}`
      const loneHigh = `${'a'.repeat(at)}\ud83dx${'b'.repeat(LONG)}`
      const loneLow = `${'a'.repeat(at)}\ude00${'b'.repeat(LONG)}`
      for (const content of [pair, loneHigh, loneLow]) expect(joined({ content }).text).toBe(JSON.stringify({ content }))
    }
  })

  it('gives an exact length for short payloads and a lower bound, exact without escapes, for long ones', () => {
    const short = { a: 'x"y', b: [1, null, true] }
    expect(joined(short)).toMatchObject({ exact: true, length: JSON.stringify(short).length, pieces: [JSON.stringify(short)] })
    const plain = { content: 'x'.repeat(LONG), other: 'y'.repeat(LONG + 1) }
    expect(joined(plain).length).toBe(JSON.stringify(plain).length)
    const escaped = { content: 'x\n'.repeat(LONG) }
    expect(joined(escaped).length).toBeLessThan(JSON.stringify(escaped).length)
  })

  it('keeps JSON.stringify semantics: toJSON, undefined and functions, array holes, nested arrays', () => {
    const long = 'q'.repeat(LONG)
    const value = {
      viaToJSON: { toJSON: () => long },
      date: new Date(0),
      skipped: undefined,
      fn: () => 1,
      list: [long, undefined, () => 1, [long]],
      ['k'.repeat(LONG)]: 'long key',
      marker: '\u0000',
    }
    expect(joined(value).text).toBe(JSON.stringify(value))
    // A long string only toJSON produces is not found by the search: one plain piece, still exact.
    const hidden = { inner: { toJSON: () => ({ content: long }) } }
    expect(joined(hidden)).toMatchObject({ exact: true, text: JSON.stringify(hidden) })
  })

  it('throws what JSON.stringify throws', () => {
    const cyclic: Record<string, unknown> = { content: 'x'.repeat(LONG) }
    cyclic.self = cyclic
    expect(() => jsonText(cyclic)).toThrow(TypeError)
    expect(() => jsonText({ content: 'x'.repeat(LONG), n: 1n })).toThrow(TypeError)
  })
})

describe('encodeJsonWithRoom', () => {
  afterEach(() => vi.restoreAllMocks())

  it('writes the UTF-8 of JSON.stringify into a buffer with room for the package, the lead in', () => {
    for (const value of [{ a: 1 }, { content: 'x'.repeat(LONG) }, { content: 'line\n'.repeat(LONG / 4) }]) {
      const bytes = sameBytes(value)
      expect(bytes.buffer.byteLength).toBeGreaterThanOrEqual(packageCapacity(bytes.length))
      // Where Node's cipher can seal it without moving it, for text whose length was known exactly.
      if (!JSON.stringify(value).includes('\\n')) expect(bytes.byteOffset).toBe(ciphertextLead(bytes.length))
      else expect(bytes.byteOffset).toBeLessThanOrEqual(ciphertextLead(bytes.length))
    }
  })

  it('moves text that outgrows its room to a larger room and wipes every copy it made', () => {
    const rooms: Uint8Array[] = []
    const encodeInto = utf8Encoder.encodeInto.bind(utf8Encoder)
    vi.spyOn(utf8Encoder, 'encodeInto').mockImplementation((text, target) => (rooms.push(target), encodeInto(text, target)))
    const copies: Uint8Array[] = []
    const encode = utf8Encoder.encode.bind(utf8Encoder)
    vi.spyOn(utf8Encoder, 'encode').mockImplementation((text) => {
      const bytes = encode(text)
      copies.push(bytes)
      return bytes
    })
    // CJK: 3 bytes per character, past the eighth the room has to spare.
    const bytes = sameBytes({ content: '秘密のメッセージ'.repeat(LONG / 4) })
    expect([bytes.byteOffset, bytes.buffer.byteLength]).toEqual([0, packageCapacity(bytes.length)])
    expect(rooms[0]!.buffer).not.toBe(bytes.buffer)
    expect(copies.length).toBeGreaterThan(0)
    for (const copy of copies) expect(copy.every((b) => b === 0)).toBe(true)
    expect(new Uint8Array(rooms[0]!.buffer).every((b) => b === 0)).toBe(true)
  })

  it("takes ASCII slices with the platform's fast writer, and backs off from text it refuses", () => {
    const slices = (count: number, motif: string) => motif.repeat(Math.ceil((count * SLICE) / motif.length)).slice(0, count * SLICE)
    const tries = (content: string) => {
      fastWriter.calls = 0
      sameBytes({ content })
      return fastWriter.calls
    }
    // Every slice of prose goes to the fast writer.
    const prose = slices(10, 'some "quoted" prose, a tab\t and a line\n')
    expect(tries(prose)).toBe(10)
    // A stray emoji costs its slice and the one after; the writer is back for the rest.
    expect(tries(`${prose.slice(0, 3 * SLICE)}😀${prose.slice(3 * SLICE + 2)}`)).toBe(9)
    // Text it always refuses (an accent in every thousand characters): tries at slices 0, 2, 6,
    // 14, 30 and 62 of 64. (CJK outgrows the room, after which no slice goes to the writer.)
    expect(tries(slices(64, `${'a'.repeat(999)}é`))).toBe(6)
  })

  it('gives JSON-heavy text (a third of it quotes) a room for its package as well', () => {
    const bytes = sameBytes({ content: '{"k": "v"},'.repeat(LONG / 8) })
    expect(bytes.buffer.byteLength).toBeGreaterThanOrEqual(packageCapacity(bytes.length))
  })
})

describe('the browser version (the text whole)', () => {
  it('writes the same bytes, with room for the package when the text fits', () => {
    for (const value of [{ a: 1 }, { content: 'x'.repeat(LONG) }, { content: '😀"\n'.repeat(LONG / 4) }, { wide: '秘密'.repeat(LONG) }]) {
      const whole = browser.encodeJsonWithRoom(value, packageCapacity)
      expect(Buffer.from(whole).equals(Buffer.from(encodeJsonWithRoom(value, packageCapacity)))).toBe(true)
      expect(Buffer.from(whole).equals(Buffer.from(JSON.stringify(value)))).toBe(true)
    }
    const ascii = browser.encodeJsonWithRoom({ content: 'x'.repeat(LONG) }, packageCapacity)
    expect(ascii.buffer.byteLength).toBeGreaterThanOrEqual(packageCapacity(ascii.length))
  })
})
