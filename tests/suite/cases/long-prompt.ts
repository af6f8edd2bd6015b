/**
 * A long prompt is sealed as exactly the UTF-8 of `JSON.stringify(payload)` in every runtime,
 * whichever way the runtime writes it (`#platform/json-utf8`: slices of the long strings outside
 * browsers, ASCII slices by `ascii-json.ts` in Node and Bun, the text whole in browsers): opened
 * independently with plain WebCrypto, the request's bytes are compared byte for byte, so two lone
 * halves written for a surrogate pair split at a slice edge (which JSON.parse would quietly join
 * again) cannot pass.
 */
import { deepEqual, equal } from '../assert.ts'
import { openBytes } from '../seal.ts'
import type { Case } from '../types.ts'

/** Escapes, non-ASCII and surrogate pairs on every slice edge (32 Ki characters) and around them. */
function longContent(): string {
  let text = ''
  for (let edge = 1; edge <= 4; edge++) {
    text += 'a'.repeat(edge * 32 * 1024 - text.length - 1 - (edge % 2))
    text += '😀'.repeat(2) + ' "quoted" \\ back\n\t é€ \u2028 \u0001 '
  }
  // A lone high half right before an edge, and a lone low half right after one.
  text += 'b'.repeat(5 * 32 * 1024 - text.length - 1)
  return `${text}\ud83dx\ude00${'c'.repeat(40_000)}`
}

/**
 * ASCII prose with every escape the ASCII writer handles (`ascii-json.ts`, Node and Bun), then a
 * control character it must refuse in its fourth slice: that slice is written again, by
 * `JSON.stringify`, over what the writer had put there.
 */
function asciiContent(): string {
  const prose = 'say "hi" to C:\\temp\r\n\tindented / slashed \u007f line.\n'.repeat(2400)
  return `${prose.slice(0, 3 * 32 * 1024 + 100)}\u0001${prose.slice(0, 20_000)}`
}

export const longPromptCases: Case[] = [
  {
    name: 'long prompt: the sealed request is exactly the UTF-8 of JSON.stringify, slice edges and all',
    async run(ctx) {
      const { client_private_key_pkcs8_pem, client_public_key_spki_pem } = ctx.vectors.wire
      const client = new ctx.lib.SecureCompletionClient({
        routerUrl: 'https://router.invalid',
        routerPublicKey: client_public_key_spki_pem,
      })
      const content = longContent()
      const payload = {
        model: 'm',
        messages: [
          { role: 'system', content: asciiContent() },
          { role: 'user', content },
          { role: 'user', content: content.slice(7) },
        ],
        n: 1,
      }
      const sealed = await client.encryptPayload(payload)
      const opened = await openBytes(client_private_key_pkcs8_pem, sealed)
      const expected = new TextEncoder().encode(JSON.stringify(payload))
      equal(opened.length, expected.length, 'request length')
      deepEqual(
        opened.findIndex((byte, i) => byte !== expected[i]),
        -1,
        'first byte that differs from JSON.stringify',
      )
    },
  },
]
