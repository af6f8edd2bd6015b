/** PEM armour (RFC 7468): the base64 body between `-----BEGIN X-----` and `-----END X-----`. */
import { KeyError } from '../errors.js'
import { decodeBase64, encodeBase64 } from './base64.js'

/** One decoded PEM block. `headers` holds RFC 1421 headers such as `Proc-Type` (legacy encrypted keys). */
export interface PemBlock {
  label: string
  der: Uint8Array
  headers: Record<string, string>
}

/** Larger than any RSA key PEM (an encrypted RSA-16384 key is about 13 KiB): refused unread. */
const MAX_PEM_CHARS = 64 * 1024

/** Decodes the first PEM block of `text`. Throws {@link KeyError} (never quoting the text) when there is none. */
export function decodePem(text: string, what = 'key'): PemBlock {
  const found = typeof text === 'string' && text.length <= MAX_PEM_CHARS ? findBlock(text) : undefined
  if (!found) {
    throw new KeyError(
      typeof text === 'string' && text.length > MAX_PEM_CHARS
        ? `The ${what} is too large to be a PEM key`
        : `The ${what} is not PEM text (expected -----BEGIN ...----- armour)`,
    )
  }
  const [, label, armoured] = found
  const headers: Record<string, string> = {}
  const body: string[] = []
  for (const raw of armoured.split(/\r?\n/)) {
    const line = raw.trim()
    const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
    if (header) headers[header[1]!] = header[2]!
    else if (line) body.push(line)
  }
  const der = decodeBase64(body.join(''))
  if (!der || der.length === 0) throw new KeyError(`The ${what} PEM (${label}) has a damaged base64 body`)
  return { label, der, headers }
}

/** Encodes DER bytes as a PEM block with 64-character lines and a trailing newline, as OpenSSL writes it. */
export function encodePem(der: Uint8Array, label: string): string {
  const b64 = encodeBase64(der)
  let out = `-----BEGIN ${label}-----\n`
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n'
  return out + `-----END ${label}-----\n`
}

/**
 * The first `-----BEGIN X-----` … `-----END X-----` block, found with indexOf (linear time: a
 * backreferencing regex over text full of BEGIN lines without an END is quadratic).
 */
function findBlock(text: string): [string, string, string] | undefined {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n/.exec(text)
  if (!begin) return undefined
  const label = begin[1]!
  const bodyStart = begin.index + begin[0].length
  const end = text.indexOf(`-----END ${label}-----`, bodyStart)
  if (end < 0) return undefined
  return [text.slice(begin.index, end), label, text.slice(bodyStart, end)]
}
