/**
 * The request package is written over the request plaintext on the WebCrypto path too (Deno,
 * Workers; this file swaps `#platform/aes-gcm` for `aes-gcm-web.ts`): there the plaintext sits at
 * its ciphertext lead and WebCrypto seals into a buffer of its own, so what overwrites the
 * plaintext is the package alone, which is longer than the lead and the plaintext together.
 */
import { describe, expect, it, vi } from 'vitest'
import { SecureCompletionClient } from '../../src/index.js'
import * as web from '../../src/platform/aes-gcm-web.js'
import { clientPem, clientPublicPem } from '../helpers/keys.js'

vi.mock('#platform/aes-gcm', () => import('../../src/platform/aes-gcm-web.js'))

const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).includes(Buffer.from(needle))

describe('on the WebCrypto path, the request package is written over the request plaintext', () => {
  it.each([
    ['a long prompt (sliced, at its lead)', 'PLAINTEXT-MARKER-'.repeat(4096)],
    ['a short one', 'PLAINTEXT-MARKER-'.repeat(8)],
  ])('%s leaves no plaintext in the buffer the package lives in', async (_name, content) => {
    expect((await import('#platform/aes-gcm')).gcmEncrypt).toBe(web.gcmEncrypt)
    const client = new SecureCompletionClient({
      routerUrl: 'https://router.invalid',
      routerPublicKey: clientPublicPem,
      secureMemory: false,
    })
    await client.loadKeys(clientPem)
    const sealed = await client.encryptPayload({ model: 'm', messages: [{ role: 'user', content }] })
    expect(sealed.byteOffset).toBe(0)
    expect(sealed.buffer.byteLength).toBeGreaterThan(sealed.length)
    expect(contains(new Uint8Array(sealed.buffer), new TextEncoder().encode('PLAINTEXT-MARKER-P'))).toBe(false)
    expect(((await client.decryptResponse(sealed, 'p')) as unknown as { messages: [{ content: string }] }).messages[0].content).toBe(
      content,
    )
  })
})
