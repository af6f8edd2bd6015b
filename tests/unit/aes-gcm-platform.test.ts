/**
 * The two bulk AES-GCM paths (`#platform/aes-gcm`): WebCrypto everywhere, `node:crypto`'s streaming
 * cipher in Node and Bun. Each must open what the other seals, in place or not, refuse a bad tag
 * without leaving unauthenticated plaintext behind, and leave an input it was not given alone.
 * Node's path is what every other Node test runs (vitest maps it); the runtime suites run Bun's.
 */
import { describe, expect, it } from 'vitest'
import * as nodeGcm from '../../src/platform/aes-gcm-node.js'
import * as webGcm from '../../src/platform/aes-gcm-web.js'
import { encodePackage, packageCapacity, parsePackage } from '../../src/protocol/package.js'
import { ciphertextLead } from '../../src/protocol/ciphertext-lead.js'

const paths = { node: nodeGcm, web: webGcm }
const subtle = globalThis.crypto.subtle
const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
const aad = new TextEncoder().encode('nomyo-key-binding/v1 request 00 id')
// Across Node's 256 KiB slices: empty, one byte, one slice exactly, slices and a rest.
const sizes = [0, 1, 256 * 1024, 600_001]
const pattern = new Uint8Array(1_000_003).map((_, i) => (i * 31 + 7) & 0xff)
const payload = (size: number) => pattern.slice(0, size)
// vitest's deep equality walks a megabyte byte by byte; a plain comparison reports the same failure.
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])

describe.each(Object.entries(paths))('sealed by the %s path', (sealer, seal) => {
  describe.each(Object.entries(paths))('opened by the %s path', (_opener, open) => {
    it.each(sizes)('round-trips %i bytes, with and without additional data', async (size) => {
      for (const data of [undefined, aad]) {
        const sealed = await seal.gcmEncrypt(key, iv, data, payload(size), false)
        expect(sealed.length).toBe(size + 16)
        expect(same(await open.gcmDecrypt(key, iv, data, sealed.slice(), false), payload(size))).toBe(true)
        expect(same(await open.gcmDecrypt(key, iv, data, sealed.slice(), true), payload(size))).toBe(true)
      }
    })
  })

  it('matches WebCrypto byte for byte (same key, nonce and data)', async () => {
    const expected = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload(600_001)))
    expect(same(await seal.gcmEncrypt(key, iv, aad, payload(600_001), true), expected)).toBe(true)
  })

  it(`refuses a flipped bit anywhere, and a wrong additional data (${sealer})`, async () => {
    const sealed = await seal.gcmEncrypt(key, iv, aad, payload(300_000), false)
    for (const at of [0, 299_999, 300_000, 300_015]) {
      const bad = sealed.slice()
      bad[at]! ^= 1
      await expect(seal.gcmDecrypt(key, iv, aad, bad, false)).rejects.toThrow()
    }
    await expect(seal.gcmDecrypt(key, iv, undefined, sealed.slice(), false)).rejects.toThrow()
    await expect(seal.gcmDecrypt(key, iv, aad, sealed.subarray(0, 15), false)).rejects.toThrow()
  })
})

describe('the Node path in place', () => {
  it('seals over the plaintext and moves the ciphertext ahead, to the end of a buffer with little room', async () => {
    const room = new Uint8Array(1000 + 40)
    room.set(payload(1000))
    const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, room.subarray(0, 1000), true)
    expect(sealed.buffer).toBe(room.buffer)
    expect([sealed.byteOffset, sealed.length]).toEqual([24, 1016])
    expect(same(sealed, new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, payload(1000))))).toBe(true)
  })

  it('leaves an input it may not consume, or that has no room for the tag, untouched', async () => {
    for (const [input, consume] of [
      [payload(1000), false],
      [payload(1000), true],
    ] as const) {
      const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, input, consume)
      expect(sealed.buffer).not.toBe(input.buffer)
      expect(same(input, payload(1000))).toBe(true)
    }
    const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, payload(1000), false)
    const kept = sealed.slice()
    await nodeGcm.gcmDecrypt(key, iv, undefined, kept, false)
    expect(same(kept, sealed)).toBe(true)
  })

  it('opens over the ciphertext, and wipes what it wrote when the tag is wrong', async () => {
    const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, payload(600_001), false)
    const opened = await nodeGcm.gcmDecrypt(key, iv, undefined, sealed, true)
    expect(opened.buffer).toBe(sealed.buffer)
    expect(same(opened, payload(600_001))).toBe(true)

    const tampered = await nodeGcm.gcmEncrypt(key, iv, undefined, payload(600_001), false)
    tampered[600_001 + 3]! ^= 1
    await expect(nodeGcm.gcmDecrypt(key, iv, undefined, tampered, true)).rejects.toThrow()
    // The ciphertext was decrypted over before the tag could be checked: nothing of it may remain.
    expect(tampered.subarray(0, 600_001).some((byte) => byte !== 0)).toBe(false)
  })
})

describe('encodePackage with the ciphertext sealed over its own buffer', () => {
  it.each([0, 1, 2, 3, 24_575, 24_576, 100_000, 1_000_003])(
    'writes the same package as from a separate ciphertext (%i bytes)',
    async (size) => {
      const room = new Uint8Array(packageCapacity(size))
      room.set(payload(size))
      const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, room.subarray(0, size), true)
      expect(sealed.buffer).toBe(room.buffer)
      const parts = { ciphertext: sealed, nonce: iv, wrappedKey: new Uint8Array(512).fill(9) }
      const expected = encodePackage({ ...parts, ciphertext: sealed.slice() })
      const written = encodePackage(parts, undefined, room)
      expect(written.buffer).toBe(room.buffer)
      expect(same(written, expected)).toBe(true)
      expect(same(await nodeGcm.gcmDecrypt(key, iv, undefined, parsePackage(written).parts.ciphertext, false), payload(size))).toBe(true)
    },
  )

  it('leaves a plaintext put far enough in (ciphertextLead) where it is: nothing to move', async () => {
    const size = 300_000
    const room = new Uint8Array(packageCapacity(size))
    const at = ciphertextLead(size)
    room.set(payload(size), at)
    const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, room.subarray(at, at + size), true)
    expect([sealed.buffer === room.buffer, sealed.byteOffset]).toEqual([true, at])
    const parts = { ciphertext: sealed, nonce: iv, wrappedKey: new Uint8Array(512).fill(9) }
    const expected = encodePackage({ ...parts, ciphertext: sealed.slice() })
    expect(same(encodePackage(parts, undefined, room), expected)).toBe(true)
  })

  it('moves the ciphertext no further than the writes need: spare room past it stays untouched', async () => {
    const size = 300_000
    const room = new Uint8Array(packageCapacity(size * 1.125))
    room.set(payload(size))
    const sealed = await nodeGcm.gcmEncrypt(key, iv, undefined, room.subarray(0, size), true)
    const parts = { ciphertext: sealed, nonce: iv, wrappedKey: new Uint8Array(512).fill(9) }
    const expected = encodePackage({ ...parts, ciphertext: sealed.slice() })
    const written = encodePackage(parts, undefined, room)
    expect([written.buffer === room.buffer, same(written, expected)]).toEqual([true, true])
    // The ciphertext went a third of its length and 256 bytes ahead, not to the end, so the last
    // ~1/8 of the room was never written.
    expect(sealed.byteOffset).toBe(Math.ceil(size / 3) + 256)
    const lastWritten = room.findLastIndex((b) => b !== 0)
    expect(lastWritten).toBeLessThan(Math.max(written.length, Math.ceil(size / 3) + 256 + size + 16))
    expect(room.length - lastWritten).toBeGreaterThan(size / 8)
  })
})
