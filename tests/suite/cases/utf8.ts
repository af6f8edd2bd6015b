/**
 * Answers are strict UTF-8 in every runtime: whatever shortcut a runtime's decoder takes (Deno's
 * lenient decoder first, Node's latin1 for ASCII), bytes that are not UTF-8 fail with ProtocolError
 * and never come back with U+FFFD in them, while a U+FFFD the router really sent comes back as is.
 */
import { deepEqual, equal, rejects } from '../assert.ts'
import { sealBytes } from '../seal.ts'
import type { Case, SuiteContext } from '../types.ts'
import { vectorClient } from './wire-vectors.ts'

const utf8 = (text: string) => new TextEncoder().encode(text)
const joined = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** Text before the bad bytes: long ASCII (the fast paths), non-ASCII, and a genuine U+FFFD. */
const PREFIXES = { ascii: 'a'.repeat(100_000), 'non-ASCII': 'é日本😀'.repeat(1000), 'U+FFFD': 'ok \uFFFD ok' }
/** Stray byte, overlong '/', UTF-16 surrogate, above U+10FFFF, a sequence cut short by the quote. */
const BAD = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe4, 0xbd]]

async function open(ctx: SuiteContext, plaintext: Uint8Array) {
  const client = await vectorClient(ctx)
  return client.decryptResponse(await sealBytes(ctx.vectors.wire.client_public_key_spki_pem, plaintext), 'payload-1')
}

export const utf8Cases: Case[] = [
  {
    name: 'utf-8: an answer that really holds U+FFFD comes back exactly',
    async run(ctx) {
      for (const content of [`${PREFIXES.ascii}\uFFFD`, `\uFFFD${PREFIXES['non-ASCII']}\uFFFD`]) {
        const { _metadata, ...answer } = await open(ctx, utf8(JSON.stringify({ content })))
        deepEqual(answer, { content }, 'decrypted answer')
      }
    },
  },
  {
    name: 'utf-8: invalid UTF-8 anywhere in an answer is a ProtocolError, never U+FFFD',
    async run(ctx) {
      for (const [kind, prefix] of Object.entries(PREFIXES)) {
        for (const bad of BAD) {
          const plaintext = joined(utf8(`{"content":"${prefix}`), Uint8Array.from(bad), utf8('"}'))
          const error = await rejects(open(ctx, plaintext), ctx.lib.ProtocolError, `${bad} after ${kind} text`)
          equal(error.code, 'ERR_PROTOCOL', 'error code')
        }
      }
    },
  },
]
