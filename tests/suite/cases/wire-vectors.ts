/**
 * Every independent wire vector (Python cryptography + OpenSSL): `ok` opens to exactly its
 * plaintext, `security` fails with SecurityError, `format` with ProtocolError — in every runtime.
 */
import { deepEqual, equal, rejects } from '../assert.ts'
import { bytesOf } from '../helpers.ts'
import type { Case, SuiteContext, VectorData } from '../types.ts'

// One client per context holding the vectors' key: importing an RSA-4096 key per vector adds up.
const clients = new WeakMap<SuiteContext, Promise<InstanceType<SuiteContext['lib']['SecureCompletionClient']>>>()

/** The client holding the vectors' key, one per context. */
export function vectorClient(ctx: SuiteContext) {
  let client = clients.get(ctx)
  if (!client) {
    const created = new ctx.lib.SecureCompletionClient({ routerUrl: 'https://router.invalid' })
    const { client_private_key_pkcs8_pem, client_public_key_spki_pem } = ctx.vectors.wire
    client = created.loadKeys(client_private_key_pkcs8_pem, client_public_key_spki_pem).then(() => created)
    clients.set(ctx, client)
  }
  return client
}

export function wireVectorCases(vectors: VectorData): Case[] {
  return vectors.wire.vectors.map((vector) => ({
    name: `wire vector ${vector.name}: ${vector.expect}`,
    async run(ctx) {
      const client = await vectorClient(ctx)
      const attempt = client.decryptResponse(bytesOf(vector.package), 'payload-1')
      if (vector.expect === 'ok') {
        const { _metadata, ...answer } = await attempt
        deepEqual(answer, vector.plaintext, 'decrypted answer')
        equal(_metadata.payload_id, 'payload-1', '_metadata.payload_id')
        equal(_metadata.is_encrypted, true, '_metadata.is_encrypted')
        return
      }
      const type = vector.expect === 'security' ? ctx.lib.SecurityError : ctx.lib.ProtocolError
      const error = await rejects(attempt, type, vector.name)
      equal(error.code, vector.expect === 'security' ? 'ERR_SECURITY' : 'ERR_PROTOCOL', 'error code')
    },
  }))
}
