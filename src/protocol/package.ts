/**
 * The sealed package as it travels in both directions: its JSON encoding and its validation.
 * Validation errors name the field, never the value (a value could be part of a secret).
 */
import { looseObject, optional, safeParse, string, literal } from 'valibot'
import { ProtocolError } from '../errors.js'
import { decodeBase64, encodeBase64 } from '../crypto/base64.js'
import type { SealedParts } from '../crypto/hybrid.js'
import {
  KEY_ALGORITHM,
  NONCE_BYTES,
  PACKAGE_ALGORITHM,
  PACKAGE_VERSION,
  PAYLOAD_ALGORITHM,
  TAG_BYTES,
} from './constants.js'

const PackageSchema = looseObject({
  version: literal(PACKAGE_VERSION),
  algorithm: literal(PACKAGE_ALGORITHM),
  encrypted_payload: looseObject({ ciphertext: string(), nonce: string(), tag: string() }),
  encrypted_aes_key: string(),
  key_algorithm: optional(literal(KEY_ALGORITHM)),
  payload_algorithm: optional(literal(PAYLOAD_ALGORITHM)),
})

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Serialises sealed parts (and `extra` top-level fields such as the router's `processed_at`) as the package JSON, in the reference client's field order.
 * Base64 needs no JSON escaping, so the string is assembled directly instead of through
 * `JSON.stringify`, which would scan and copy a 13 MB ciphertext once more.
 */
export function encodePackage(parts: SealedParts, extra?: Record<string, unknown>): Uint8Array {
  const split = parts.ciphertext.length - TAG_BYTES
  let tail = ''
  for (const [name, value] of Object.entries(extra ?? {})) tail += `,${JSON.stringify(name)}:${JSON.stringify(value)}`
  const json =
    `{"version":"${PACKAGE_VERSION}","algorithm":"${PACKAGE_ALGORITHM}",` +
    `"encrypted_payload":{"ciphertext":"${encodeBase64(parts.ciphertext.subarray(0, split))}",` +
    `"nonce":"${encodeBase64(parts.nonce)}","tag":"${encodeBase64(parts.ciphertext.subarray(split))}"},` +
    `"encrypted_aes_key":"${encodeBase64(parts.wrappedKey)}",` +
    `"key_algorithm":"${KEY_ALGORITHM}","payload_algorithm":"${PAYLOAD_ALGORITHM}"${tail}}`
  return encoder.encode(json)
}

/** What a parsed package carries besides its sealed parts. */
export interface ParsedPackage {
  parts: SealedParts
  /** Every top-level field that is not one of the sealed parts, e.g. `processed_at`. */
  extra: Record<string, unknown>
}

/**
 * Parses and validates a package from its wire bytes (or an already parsed JSON value).
 * Throws {@link ProtocolError} naming the first bad field.
 */
export function parsePackage(input: Uint8Array | string | unknown): ParsedPackage {
  let value = input
  if (input instanceof Uint8Array || typeof input === 'string') {
    try {
      value = JSON.parse(typeof input === 'string' ? input : decoder.decode(input))
    } catch {
      // No cause: a SyntaxError quotes the text it could not parse.
      throw new ProtocolError('The package is not valid UTF-8 JSON')
    }
  }
  const result = safeParse(PackageSchema, value)
  if (!result.success) {
    const issue = result.issues[0]
    const path = issue.path?.map((item) => String(item.key)).join('.')
    throw new ProtocolError(
      path ? `Malformed package: field "${path}" is missing or invalid` : 'Malformed package: not a JSON object',
    )
  }
  const pkg = result.output
  const nonce = decodeField(pkg.encrypted_payload.nonce, 'encrypted_payload.nonce')
  if (nonce.length !== NONCE_BYTES) throw new ProtocolError(`Malformed package: "encrypted_payload.nonce" must be ${NONCE_BYTES} bytes`)
  const tag = decodeField(pkg.encrypted_payload.tag, 'encrypted_payload.tag')
  if (tag.length !== TAG_BYTES) throw new ProtocolError(`Malformed package: "encrypted_payload.tag" must be ${TAG_BYTES} bytes`)
  const body = decodeField(pkg.encrypted_payload.ciphertext, 'encrypted_payload.ciphertext')
  const wrappedKey = decodeField(pkg.encrypted_aes_key, 'encrypted_aes_key')
  // WebCrypto wants ciphertext‖tag in one buffer.
  const ciphertext = new Uint8Array(body.length + TAG_BYTES)
  ciphertext.set(body)
  ciphertext.set(tag, body.length)
  const { version, algorithm, encrypted_payload, encrypted_aes_key, key_algorithm, payload_algorithm, ...extra } = pkg
  return { parts: { ciphertext, nonce, wrappedKey }, extra }
}

function decodeField(text: string, field: string): Uint8Array {
  const bytes = decodeBase64(text)
  if (!bytes) throw new ProtocolError(`Malformed package: "${field}" is not standard padded base64`)
  return bytes
}
