/**
 * The independent wire vectors (Python cryptography + OpenSSL), read straight from ../shared/vectors:
 * each one opens to its plaintext or fails with the documented error class.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient, SecurityError, ProtocolError } from '../../src/index.js'
import { DECRYPTION_FAILED } from '../../src/errors.js'
import { vectorsFile } from '../helpers/keys.js'

const client = new SecureCompletionClient({ routerUrl: 'https://router.invalid' })
beforeAll(async () => {
  await client.loadKeys(vectorsFile.client_private_key_pkcs8_pem, vectorsFile.client_public_key_spki_pem)
})

const bytesOf = (pkg: unknown) => new TextEncoder().encode(JSON.stringify(pkg))

describe('wire vectors', () => {
  it('covers every expectation kind', () => {
    const kinds = new Set(vectorsFile.vectors.map((v) => v.expect))
    expect([...kinds].sort()).toEqual(['format', 'ok', 'security'])
  })

  for (const vector of vectorsFile.vectors) {
    it(`${vector.name}: ${vector.expect}`, async () => {
      const attempt = client.decryptResponse(bytesOf(vector.package), 'payload-1')
      if (vector.expect === 'ok') {
        const { _metadata, ...answer } = await attempt
        expect(answer).toEqual(vector.plaintext)
        expect(_metadata).toEqual({
          payload_id: 'payload-1',
          processed_at: (vector.package as { processed_at?: unknown }).processed_at ?? null,
          is_encrypted: true,
          encryption_algorithm: 'hybrid-aes256-rsa4096',
        })
        return
      }
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      )
      if (vector.expect === 'security') {
        expect(error).toBeInstanceOf(SecurityError)
        expect((error as SecurityError).message).toBe(DECRYPTION_FAILED)
        expect((error as Error).cause).toBeUndefined()
      } else {
        expect(error).toBeInstanceOf(ProtocolError)
        expect((error as ProtocolError).code).toBe('ERR_PROTOCOL')
      }
    })
  }

  it('accepts the package as text and as an ArrayBuffer too', async () => {
    const ok = vectorsFile.vectors.find((v) => v.name === 'plain')!
    const text = JSON.stringify(ok.package)
    const bytes = bytesOf(ok.package)
    await expect(client.decryptResponse(text, 'p')).resolves.toMatchObject(ok.plaintext as object)
    await expect(client.decryptResponse(bytes.buffer.slice(0) as ArrayBuffer, 'p')).resolves.toMatchObject(ok.plaintext as object)
  })

  it('does not open vectors with another private key', async () => {
    const other = new SecureCompletionClient({ routerUrl: 'https://router.invalid' })
    const { clientPem } = await import('../helpers/keys.js')
    await other.loadKeys(clientPem)
    const ok = vectorsFile.vectors.find((v) => v.name === 'plain')!
    await expect(other.decryptResponse(bytesOf(ok.package), 'p')).rejects.toThrow(SecurityError)
  })
})
