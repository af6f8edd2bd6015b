/**
 * Finding 8 of issue #12: the "strict" decoder accepted non-canonical padding bits, so one byte
 * string had several encodings on the wire (`QQ==` and `QR==` both read "A").
 */
import { describe, expect, it } from 'vitest'
import { decodeBase64, decodeBase64Into } from '../../src/crypto/base64.js'
import { parsePackage } from '../../src/protocol/package.js'
import { ProtocolError } from '../../src/errors.js'

const ascii = (text: string) => new TextEncoder().encode(text)

describe('base64: only the canonical encoding decodes', () => {
  it.each([
    ['QR==', 'one byte, a pad bit set'],
    ['QUI=', 'two bytes, canonical'],
    ['QUJ=', 'two bytes, a pad bit set'],
    ['QUF/', 'no padding: no spare bits'],
  ])('%s (%s)', (text) => {
    const canonical = ['QUI=', 'QUF/'].includes(text)
    expect(decodeBase64(text) !== undefined).toBe(canonical)
    const target = new Uint8Array(text.endsWith('=') ? 2 : 3)
    expect(decodeBase64Into(ascii(text), target)).toBe(canonical)
  })

  it('refuses every non-zero spare-bit variant of a one-byte encoding, as text and as wire bytes', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const accepted = [...alphabet].filter((c) => decodeBase64(`Q${c}==`) !== undefined)
    expect(accepted).toEqual(['A', 'Q', 'g', 'w'])
    for (const c of alphabet) expect(decodeBase64Into(ascii(`Q${c}==`), new Uint8Array(1))).toBe(accepted.includes(c))
  })

  it('a package whose tag has a spare bit set is malformed, not accepted', () => {
    const nonce = 'AAAAAAAAAAAAAAAB' // 12 bytes, no padding: canonical
    const tag = 'AAAAAAAAAAAAAAAAAAAAAB==' // 16 bytes, a spare bit set
    const pkg = {
      version: '1.0',
      algorithm: 'hybrid-aes256-rsa4096',
      encrypted_payload: { ciphertext: 'QUI=', nonce, tag },
      encrypted_aes_key: 'QUI=',
    }
    expect(() => parsePackage(JSON.stringify(pkg))).toThrow(ProtocolError)
    expect(
      parsePackage(JSON.stringify({ ...pkg, encrypted_payload: { ...pkg.encrypted_payload, tag: 'AAAAAAAAAAAAAAAAAAAAAA==' } })),
    ).toBeTruthy()
  })
})
