/** PEM armour (RFC 7468): the base64 body between `-----BEGIN X-----` and `-----END X-----`. */
import { KeyError } from '../errors.js'
import { decodeBase64, encodeBase64 } from './base64.js'

/** One decoded PEM block. `headers` holds RFC 1421 headers such as `Proc-Type` (legacy encrypted keys). */
export interface PemBlock {
  label: string
  der: Uint8Array
  headers: Record<string, string>
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/

/** Decodes the first PEM block of `text`. Throws {@link KeyError} (never quoting the text) when there is none. */
export function decodePem(text: string, what = 'key'): PemBlock {
  const match = typeof text === 'string' ? BLOCK.exec(text) : null
  if (!match) throw new KeyError(`The ${what} is not PEM text (expected -----BEGIN ...----- armour)`)
  const label = match[1]!
  const headers: Record<string, string> = {}
  const body: string[] = []
  for (const raw of match[2]!.split(/\r?\n/)) {
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
