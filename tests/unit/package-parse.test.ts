/**
 * The package parser's fast path (the ciphertext's base64 cut from the wire bytes) must agree with a
 * plain JSON parse on every spelling of the same package, and refuse what the full parse refuses.
 */
import { describe, expect, it } from 'vitest'
import { encodePackage, parsePackage } from '../../src/protocol/package.js'
import { seal, open } from '../../src/crypto/hybrid.js'
import { generateRsaKeyPair } from '../../src/crypto/rsa.js'
import { ProtocolError, SecurityError } from '../../src/errors.js'

const pair = await generateRsaKeyPair(2048)
const plaintext = new TextEncoder().encode(JSON.stringify({ choices: [], text: 'x'.repeat(300_000) }))
const sealed = await seal(plaintext, pair.publicKey)
const wire = JSON.parse(new TextDecoder().decode(encodePackage(sealed, { processed_at: 1.5 })))
const bytes = (text: string) => new TextEncoder().encode(text)
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

/** Python's json.dumps default: ", " and ": " separators (what the reference client and router send). */
const pythonStyle = (value: unknown) => JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/},"/g, '}, "')

describe('package parsing', () => {
  it('refuses a tag without its padding', () => {
    const text = JSON.stringify({
      ...wire,
      encrypted_payload: { ...wire.encrypted_payload, tag: wire.encrypted_payload.tag.replace(/=+$/, '') },
    })
    expect(() => parsePackage(bytes(text))).toThrow(ProtocolError)
  })

  it.each([
    ['compact, as encodePackage writes it', JSON.stringify(wire)],
    ['Python json.dumps spacing', pythonStyle(wire)],
    ['pretty-printed', JSON.stringify(wire, null, 2)],
    [
      'fields in another order',
      JSON.stringify({
        encrypted_aes_key: wire.encrypted_aes_key,
        encrypted_payload: {
          tag: wire.encrypted_payload.tag,
          nonce: wire.encrypted_payload.nonce,
          ciphertext: wire.encrypted_payload.ciphertext,
        },
        payload_algorithm: wire.payload_algorithm,
        version: wire.version,
        key_algorithm: wire.key_algorithm,
        algorithm: wire.algorithm,
        processed_at: 1.5,
      }),
    ],
    ['with a decoy "ciphertext" member in an extra field', JSON.stringify({ note: { ciphertext: 'AAAA' }, ...wire })],
  ])('opens the same package written %s', async (_name, text) => {
    const parsed = parsePackage(bytes(text))
    expect(parsed.extra).toMatchObject({ processed_at: 1.5 })
    expect(same(await open(parsed.parts, pair.privateKey), plaintext)).toBe(true)
    // The parse of the text (no fast path) agrees.
    const full = parsePackage(text).parts
    expect(
      same(full.ciphertext, parsed.parts.ciphertext) &&
        same(full.nonce, parsed.parts.nonce) &&
        same(full.wrappedKey, parsed.parts.wrappedKey),
    ).toBe(true)
  })

  it.each([
    ['a quote smuggled into the ciphertext', (c: string) => c.slice(0, 100) + '","x":"' + c.slice(100)],
    ['an escaped character in the ciphertext', (c: string) => c.slice(0, 100) + '\\u0041' + c.slice(106)],
    ['whitespace inside the base64', (c: string) => c.slice(0, 100) + ' ' + c.slice(101)],
    ['the url-safe alphabet', (c: string) => c.replace(/\+/g, '-').replace(/\//g, '_')],
    ['a truncated final quantum', (c: string) => c.slice(0, -2)],
  ])('refuses %s', async (_name, mutate) => {
    const text = JSON.stringify({
      ...wire,
      encrypted_payload: { ...wire.encrypted_payload, ciphertext: mutate(wire.encrypted_payload.ciphertext) },
    })
    const outcome = await (async () => open(parsePackage(bytes(text)).parts, pair.privateKey))().catch((e: unknown) => e)
    // Either the format is refused, or (a valid spelling of other bytes) authentication fails.
    expect(outcome instanceof ProtocolError || outcome instanceof SecurityError).toBe(true)
  })

  it('refuses a duplicated ciphertext member whichever copy the fast path would see', () => {
    const text = JSON.stringify(wire).replace('"nonce"', `"ciphertext":"AAAA","nonce"`)
    const parsed = (() => {
      try {
        return parsePackage(bytes(text))
      } catch (error) {
        return error
      }
    })()
    // JSON.parse keeps the last duplicate: the fast path must not pick the first one instead.
    if (parsed instanceof ProtocolError) return
    expect(same((parsed as ReturnType<typeof parsePackage>).parts.ciphertext, parsePackage(text).parts.ciphertext)).toBe(true)
  })
})

describe('package parsing in place (the client’s own answer body)', () => {
  it('decodes the ciphertext over the wire bytes and opens it', async () => {
    const wireBytes = bytes(JSON.stringify(wire))
    const expected = parsePackage(wireBytes).parts
    const parsed = parsePackage(wireBytes, { inPlace: true })
    expect(parsed.parts.ciphertext.buffer).toBe(wireBytes.buffer)
    expect(parsed.parts.ciphertext.byteOffset).toBe(0)
    expect(same(parsed.parts.ciphertext, expected.ciphertext)).toBe(true)
    expect(same(await open(parsed.parts, pair.privateKey), plaintext)).toBe(true)
  })

  it.each([
    ['a quote smuggled into the ciphertext', (c: string) => c.slice(0, 200_000) + '","x":"' + c.slice(200_000)],
    ['an escaped character late in the ciphertext', (c: string) => c.slice(0, 300_000) + '\\u0041' + c.slice(300_006)],
  ])('refuses %s as a malformed ciphertext, with no second parse of the overwritten bytes', (_name, mutate) => {
    const text = JSON.stringify({
      ...wire,
      encrypted_payload: { ...wire.encrypted_payload, ciphertext: mutate(wire.encrypted_payload.ciphertext) },
    })
    expect(() => parsePackage(bytes(text), { inPlace: true })).toThrow(/"encrypted_payload.ciphertext" is not standard padded base64/)
  })

  it('parses the whole package the usual way when the cut cannot be made (nothing was overwritten)', () => {
    const spaced = bytes(pythonStyle(wire).replace('"version"', '"\\u0076ersion"'))
    expect(parsePackage(spaced, { inPlace: true }).extra).toMatchObject({ processed_at: 1.5 })
  })
})
