/**
 * What happens to plaintext bytes in the client: the request's package is written over its UTF-8
 * (one buffer, nothing left behind), and answers decode strictly on every path of decodeUtf8.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { SecureCompletionClient } from '../../src/index.js'
import { decodeUtf8 } from '../../src/crypto/utf8.js'
import { decodePlaintext } from '../../src/protocol/plaintext.js'
import { ProtocolError } from '../../src/errors.js'
import * as nodeBytes from '../../src/platform/bytes-node.js'
import * as webBytes from '../../src/platform/bytes-web.js'
import { clientPem, clientPublicPem } from '../helpers/keys.js'

// The client's own public key as the router key, so it can open what it seals.
async function selfClient(secureMemory = true) {
  const client = new SecureCompletionClient({ routerUrl: 'https://router.invalid', routerPublicKey: clientPublicPem, secureMemory })
  await client.loadKeys(clientPem)
  return client
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => {
  outer: for (
    let i = haystack.indexOf(needle[0]!);
    i >= 0 && i <= haystack.length - needle.length;
    i = haystack.indexOf(needle[0]!, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

const answerFor = (content: string) => ({
  id: 'c',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
})

describe('the request package is written over the request plaintext', () => {
  it.each([true, false])('leaves no plaintext in the buffer the package lives in (secureMemory %s)', async (secureMemory) => {
    const client = await selfClient(secureMemory)
    const marker = 'PLAINTEXT-MARKER-'.repeat(4096)
    const sealed = await client.encryptPayload(answerFor(marker))
    expect(sealed.byteOffset).toBe(0)
    // The package lives in the room the plaintext was encoded into: a buffer with slack after it
    // (a package in a buffer of its own would fill it exactly) ...
    expect(sealed.buffer.byteLength).toBeGreaterThan(sealed.length)
    // ... and of that plaintext nothing is left, whatever secureMemory says.
    expect(contains(new Uint8Array(sealed.buffer), new TextEncoder().encode('PLAINTEXT-MARKER-PLAINTEXT'))).toBe(false)
    expect((await client.decryptResponse(sealed, 'p')).choices[0]!.message.content).toBe(marker)
  })

  it('seals text whose UTF-8 does not fit that room (3 bytes per character) just as well', async () => {
    const client = await selfClient()
    const wide = '秘密のメッセージ'.repeat(20_000)
    const sealed = await client.encryptPayload(answerFor(wide))
    expect((await client.decryptResponse(sealed, 'p')).choices[0]!.message.content).toBe(wide)
  })
})

describe('the decrypted answer', () => {
  /** UTF-8 bytes whose buffer's `transfer` really detaches it (Node 20 has none; structuredClone detaches the same way). */
  const answerBytes = (text: string) => {
    const bytes = new TextEncoder().encode(text)
    const buffer = bytes.buffer as ArrayBuffer & { transfer?: () => void }
    buffer.transfer = () => void structuredClone(buffer, { transfer: [buffer] })
    return bytes
  }

  it('is released once decoded, before JSON.parse runs (whose buffers can then reuse the memory)', () => {
    const bytes = answerBytes(JSON.stringify(answerFor('x'.repeat(1000))))
    const seen: number[] = []
    const parse = vi.spyOn(JSON, 'parse').mockImplementation((...args) => {
      seen.push(bytes.byteLength)
      parse.mockRestore()
      return JSON.parse(...args)
    })
    expect((decodePlaintext(bytes, true) as ReturnType<typeof answerFor>).choices[0]!.message.content).toBe('x'.repeat(1000))
    expect(seen).toEqual([0])
  })

  it('is wiped and released also when it is not UTF-8 or not JSON, with one error that quotes nothing', () => {
    const notUtf8 = () => {
      const bytes = answerBytes('{"a":"secret-text"}')
      bytes[7] = 0xff
      return bytes
    }
    const notJson = () => answerBytes('{"a":"secret-text"')
    for (const make of [notUtf8, notJson]) {
      const released = make()
      expect(() => decodePlaintext(released, false)).toThrow(ProtocolError)
      expect(released.byteLength).toBe(0)
      // Without `transfer` (Node 20) a buffer stays: then its bytes are zero.
      const kept = make()
      delete (kept.buffer as { transfer?: unknown }).transfer
      const error = (() => {
        try {
          decodePlaintext(kept, true)
        } catch (caught) {
          return caught as Error
        }
      })()
      expect(error?.message).toBe('The decrypted answer is not valid UTF-8 JSON')
      expect(error?.cause).toBeUndefined()
      if (kept.byteLength) expect(kept.every((byte) => byte === 0)).toBe(true)
    }
  })
})

const strict = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes)

// Both platform modules: Node's (what the tests' `#platform/bytes` is) and every other runtime's.
describe.each([
  ['node', nodeBytes.decodeUtf8],
  ['web', webBytes.decodeUtf8],
])('decodeUtf8 (%s)', (_, decodeUtf8) => {
  const sizes = [0, 10, 70_000]
  it.each(sizes)('decodes %i bytes of ASCII and of non-ASCII exactly as TextDecoder does', (size) => {
    for (const text of ['a'.repeat(size), `${'b'.repeat(size)}é`, `${'😀'.repeat(size / 4)}\u0000x`]) {
      const bytes = new TextEncoder().encode(text)
      expect(decodeUtf8(bytes)).toBe(text)
      // A view into a larger buffer decodes only its own bytes.
      const framed = new Uint8Array(bytes.length + 8).fill(0x7a)
      framed.set(bytes, 4)
      expect(decodeUtf8(framed.subarray(4, 4 + bytes.length))).toBe(text)
    }
  })

  it.each(sizes)('refuses invalid UTF-8 after %i bytes of ASCII instead of substituting U+FFFD', (size) => {
    const bad = [[0xff], [0xc3], [0xe4, 0xbd], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]
    for (const tail of bad) {
      const bytes = new Uint8Array(size + tail.length).fill(0x61)
      bytes.set(tail, size)
      expect(() => decodeUtf8(bytes)).toThrow(TypeError)
    }
  })

  it('returns a U+FFFD the text really holds, and still refuses invalid bytes beside one', () => {
    for (const text of ['\uFFFD', `${'a'.repeat(70_000)}\uFFFD`, '\uFFFD日本\uFFFD', '\uFEFFa\uFFFD']) {
      expect(decodeUtf8(new TextEncoder().encode(text))).toBe(strict(new TextEncoder().encode(text)))
      const bad = new TextEncoder().encode(`${text}\u0000`)
      bad[bad.length - 1] = 0xff
      expect(() => decodeUtf8(bad)).toThrow(TypeError)
    }
  })

  it('agrees with the strict TextDecoder on any bytes: the same text, or a TypeError', () => {
    // Mostly valid UTF-8 (text of any plane) with a few arbitrary bytes spliced in.
    const bytes = fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uint8Array({ maxLength: 4 }), fc.nat(60))
      .map(([text, noise, at]) => {
        const valid = new TextEncoder().encode(text)
        const cut = Math.min(at, valid.length)
        return Uint8Array.from([...valid.subarray(0, cut), ...noise, ...valid.subarray(cut)])
      })
    fc.assert(
      fc.property(bytes, (input) => {
        let expected: string | undefined
        try {
          expected = strict(input)
        } catch {}
        if (expected === undefined) expect(() => decodeUtf8(input)).toThrow(TypeError)
        else expect(decodeUtf8(input)).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('#platform/bytes', () => {
  it("is Node's module in Node, the one the client decodes with", () => {
    expect(decodeUtf8).toBe(nodeBytes.decodeUtf8)
    expect(nodeBytes.nodeBase64).toBeDefined()
    expect(webBytes.nodeBase64).toBeUndefined()
  })
})
