/**
 * The answer's ciphertext is strict base64 in every runtime, whichever decoder the runtime's
 * codecs take from the wire bytes (Node's Buffer, native `setFromBase64`, the `atob` fallback): a
 * large answer opens, and one byte outside the alphabet anywhere in its ciphertext is a
 * ProtocolError.
 */
import { deepEqual, equal, rejects } from '../assert.ts'
import { sealBytes } from '../seal.ts'
import type { Case, SuiteContext } from '../types.ts'
import { vectorClient } from './wire-vectors.ts'

const MARK = new TextEncoder().encode('"ciphertext":"')

/** A sealed answer of `length` content characters, and where its ciphertext's base64 starts and ends. */
async function sealedAnswer(ctx: SuiteContext, length: number) {
  const content = 'b'.repeat(length)
  const bytes = await sealBytes(ctx.vectors.wire.client_public_key_spki_pem, new TextEncoder().encode(JSON.stringify({ content })))
  let start = bytes.indexOf(MARK[0]!)
  while (!MARK.every((byte, i) => bytes[start + i] === byte)) start = bytes.indexOf(MARK[0]!, start + 1)
  start += MARK.length
  return { content, bytes, start, end: bytes.indexOf(0x22, start) }
}

export const base64Cases: Case[] = [
  {
    name: 'base64: a large answer opens, and a stray byte anywhere in its ciphertext is a ProtocolError',
    async run(ctx) {
      const client = await vectorClient(ctx)
      const { content, bytes, start, end } = await sealedAnswer(ctx, 300_000)
      const { _metadata, ...answer } = await client.decryptResponse(bytes.slice(), 'payload-1')
      deepEqual(answer, { content }, 'decrypted answer')
      // First, middle and last whole quantum, and the last one (padding rules).
      for (const at of [start, start + 3, Math.floor((start + end) / 2), end - 5, end - 1]) {
        for (const stray of ['-', '_', '.', ' ']) {
          const bad = bytes.slice()
          bad[at] = stray.charCodeAt(0)
          const error = await rejects(client.decryptResponse(bad, 'payload-1'), ctx.lib.ProtocolError, `${stray} at ${at - start}`)
          equal(error.code, 'ERR_PROTOCOL', 'error code')
        }
      }
    },
  },
]
