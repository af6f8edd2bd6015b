/**
 * What happens to plaintext bytes in the client: the request's package is written over its UTF-8
 * (one buffer, nothing left behind), and answers decode strictly on every path of decodeUtf8.
 */
import { describe, expect, it, vi } from 'vitest'
import { SecureCompletionClient } from '../../src/index.js'
import { decodeUtf8 } from '../../src/crypto/utf8.js'
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

describe('decodeUtf8', () => {
  const sizes = [0, 10, 70_000]
  it('takes Node’s ASCII path in this runtime (so the tests below cover it)', () => {
    const getBuiltinModule = (process as { getBuiltinModule?: (name: string) => { isAscii?: unknown } }).getBuiltinModule
    expect(typeof getBuiltinModule?.('buffer').isAscii).toBe('function')
  })

  it('loads and decodes where a bundler fakes `process` with no versions (browser builds)', async () => {
    vi.resetModules()
    const real = globalThis.process
    let fresh: typeof decodeUtf8
    vi.stubGlobal('process', { env: {} })
    try {
      fresh = (await import('../../src/crypto/utf8.js')).decodeUtf8
    } finally {
      vi.stubGlobal('process', real)
    }
    expect(fresh(new TextEncoder().encode('a'.repeat(70_000)))).toBe('a'.repeat(70_000))
    expect(() => fresh(new Uint8Array([0x61, 0xff]))).toThrow(TypeError)
  })

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
})
