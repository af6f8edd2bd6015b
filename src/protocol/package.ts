/**
 * The sealed package as it travels in both directions: its JSON encoding and its validation.
 * Validation errors name the field, never the value (a value could be part of a secret).
 */
import { ProtocolError } from '../errors.js'
import { decodeBase64, decodeBase64Into, decodedLength, encodeBase64, encodeBase64Into } from '../crypto/base64.js'
import type { SealedParts } from '../crypto/hybrid.js'
import { decodeUtf8, utf8Encoder as encoder } from '../crypto/utf8.js'
import { KEY_ALGORITHM, NONCE_BYTES, PACKAGE_ALGORITHM, PACKAGE_VERSION, PAYLOAD_ALGORITHM, TAG_BYTES } from './constants.js'

const isString = (value: unknown): value is string => typeof value === 'string'
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
const is = (expected: string) => (value: unknown) => value === expected
const optional = (check: (value: unknown) => boolean) => (value: unknown) => value === undefined || check(value)

/**
 * What each field of a package must be, in the order they are checked: an error names the first bad
 * one (`encrypted_payload.nonce` is the field `nonce` of `encrypted_payload`). Other fields are kept.
 */
const PACKAGE_FIELDS: Record<string, (value: unknown) => boolean> = {
  version: is(PACKAGE_VERSION),
  algorithm: is(PACKAGE_ALGORITHM),
  encrypted_payload: isObject,
  'encrypted_payload.ciphertext': isString,
  'encrypted_payload.nonce': isString,
  'encrypted_payload.tag': isString,
  encrypted_aes_key: isString,
  key_algorithm: optional(is(KEY_ALGORITHM)),
  payload_algorithm: optional(is(PAYLOAD_ALGORITHM)),
}

interface PackageFields {
  algorithm: string
  encrypted_payload: { ciphertext: string; nonce: string; tag: string }
  encrypted_aes_key: string
  [field: string]: unknown
}

/** Throws {@link ProtocolError} naming the first field of {@link PACKAGE_FIELDS} that `value` gets wrong. */
function checkFields(value: unknown): asserts value is PackageFields {
  if (!isObject(value)) throw new ProtocolError('Malformed package: not a JSON object')
  for (const [path, check] of Object.entries(PACKAGE_FIELDS)) {
    const [outer, inner] = path.split('.') as [string, string?]
    const field = inner === undefined ? value[outer] : (value[outer] as Record<string, unknown>)[inner]
    if (!check(field)) throw new ProtocolError(`Malformed package: field "${path}" is missing or invalid`)
  }
}

const lenient = new TextDecoder()

const CIPHERTEXT_NOT_BASE64 = 'Malformed package: "encrypted_payload.ciphertext" is not standard padded base64'
const QUOTE = 0x22
// The package's start up to the ciphertext's base64, all ASCII so characters count as bytes; the
// reference client writes `"ciphertext": "`, this one `"ciphertext":"`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "any ASCII byte", control characters included.
const CIPHERTEXT_START = /^[\x00-\x7f]*?"ciphertext"[ \t\n\r]*:[ \t\n\r]*"/

/**
 * Room for the package of `plaintextBytes`: the base64 of the ciphertext plus the other fields with
 * a wrapped key of up to 8192 bits. A larger key only makes {@link encodePackage} allocate.
 */
export function packageCapacity(plaintextBytes: number): number {
  return Math.ceil(plaintextBytes / 3) * 4 + 2048
}

/**
 * Serialises sealed parts (and `extra` top-level fields such as the router's `processed_at`) as the
 * package JSON, in the reference client's field order. Base64 needs no JSON escaping and is one byte
 * per character, so the ciphertext's base64 is written straight into the output bytes: for a 10 MiB
 * payload no 13 MB string is built, scanned by `JSON.stringify` or re-encoded as UTF-8.
 *
 * The package is written at the start of `into` when it fits (see {@link packageCapacity}), and the
 * result is then a view of it; otherwise into a new buffer. The ciphertext may lie in `into` itself
 * (Node's cipher seals over the plaintext): the base64 written from the start, 4 bytes per 3 read,
 * never catches up with the bytes still to be read, as long as the ciphertext starts at its
 * `ciphertextLead` or further in, or `into` has room for the whole package beside the ciphertext's
 * 16-byte tag and the ciphertext ends where `into` does.
 */
export function encodePackage(parts: SealedParts, extra?: Record<string, unknown>, into?: Uint8Array): Uint8Array {
  const split = parts.ciphertext.length - TAG_BYTES
  let tail = ''
  for (const [name, value] of Object.entries(extra ?? {})) tail += `,${JSON.stringify(name)}:${JSON.stringify(value)}`
  const head = encoder.encode(`{"version":"${PACKAGE_VERSION}","algorithm":"${PACKAGE_ALGORITHM}","encrypted_payload":{"ciphertext":"`)
  const rest = encoder.encode(
    `","nonce":"${encodeBase64(parts.nonce)}","tag":"${encodeBase64(parts.ciphertext.subarray(split))}"},` +
      `"encrypted_aes_key":"${encodeBase64(parts.wrappedKey)}",` +
      `"key_algorithm":"${KEY_ALGORITHM}","payload_algorithm":"${PAYLOAD_ALGORITHM}"${tail}}`,
  )
  const length = head.length + Math.ceil(split / 3) * 4 + rest.length
  const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length)
  out.set(head)
  out.set(rest, head.length + encodeBase64Into(parts.ciphertext.subarray(0, split), out.subarray(head.length)))
  return out
}

/** What a parsed package carries besides its sealed parts. */
export interface ParsedPackage {
  parts: SealedParts
  /** The package's `algorithm` (the answer's `_metadata.encryption_algorithm`). */
  algorithm: string
  /** Every top-level field that is not one of the sealed parts, e.g. `processed_at`. */
  extra: Record<string, unknown>
}

/**
 * Parses and validates a package from its wire bytes (or an already parsed JSON value).
 * Throws {@link ProtocolError} naming the first bad field.
 *
 * `inPlace`: the bytes are the caller's own and needed no more (the client's answer body), so the
 * ciphertext is decoded over them, into their start (base64 is 4/3 of its bytes, so the writes never
 * pass the reads), and `parts.ciphertext` is a view of them: no second buffer for a 10 MiB answer.
 * The bytes are garbage afterwards whatever the outcome. A ciphertext that is not plain padded base64
 * is then refused as such, with no second, full parse: this also refuses JSON escapes inside the
 * base64 (`\/`), which no JSON encoder in use writes there and the full parse would have undone.
 */
export function parsePackage(input: Uint8Array | string | unknown, options: { inPlace?: boolean } = {}): ParsedPackage {
  const cut = input instanceof Uint8Array ? cutCiphertext(input, options.inPlace) : undefined
  if (cut) return validate(cut.rest, cut.ciphertext)
  let value = input
  if (input instanceof Uint8Array || typeof input === 'string') {
    value = parseJson(typeof input === 'string' ? input : decodeStrict(input))
    // No cause: a SyntaxError quotes the text it could not parse.
    if (value === undefined) throw new ProtocolError('The package is not valid UTF-8 JSON')
  }
  return validate(value)
}

/**
 * Checks a parsed package and decodes its parts. `ciphertext`, when given, is the ciphertext already
 * decoded by the fast path, with room for the tag at its end.
 */
function validate(value: unknown, ciphertext?: Uint8Array): ParsedPackage {
  checkFields(value)
  const { version, algorithm, encrypted_payload, encrypted_aes_key, key_algorithm, payload_algorithm, ...extra } = value
  const nonce = decodeField(encrypted_payload.nonce, 'encrypted_payload.nonce')
  if (nonce.length !== NONCE_BYTES) throw new ProtocolError(`Malformed package: "encrypted_payload.nonce" must be ${NONCE_BYTES} bytes`)
  const tag = decodeField(encrypted_payload.tag, 'encrypted_payload.tag')
  if (tag.length !== TAG_BYTES) throw new ProtocolError(`Malformed package: "encrypted_payload.tag" must be ${TAG_BYTES} bytes`)
  // Decoded straight into one buffer with room for the tag: WebCrypto wants ciphertext‖tag.
  const sealed = ciphertext ?? decodeWithTagRoom(encrypted_payload.ciphertext)
  if (!sealed) throw new ProtocolError(CIPHERTEXT_NOT_BASE64)
  sealed.set(tag, sealed.length - TAG_BYTES)
  const wrappedKey = decodeField(encrypted_aes_key, 'encrypted_aes_key')
  return { parts: { ciphertext: sealed, nonce, wrappedKey }, algorithm, extra }
}

/**
 * The fast path for big packages: cuts the ciphertext's base64 (13 MB for a 10 MiB payload) out of
 * the wire bytes, so only the rest, a few hundred bytes, goes through UTF-8 decoding, `JSON.parse`
 * and the schema, and the base64 is decoded from the bytes as they are. `undefined` whenever the
 * cut cannot be proven exact or the cut-out text is not plain base64: the caller then parses the
 * whole package, which accepts and refuses exactly what a JSON parser does, with its own errors.
 *
 * The closing quote is looked for in the last 4 KiB only: scanning 13 MB for it cost more than the
 * rest of the parse. A quote found too late leaves a quote in the span, which the strict decode
 * refuses. Why the cut is then exact: if the rest has no backslash, every quote in it is structural;
 * if it also parses, names `"ciphertext"` once, and that member of `encrypted_payload` reads empty,
 * the cut was exactly that member's value, and putting back characters that are all base64 (no
 * quote, backslash or control character) gives the same JSON with that one string filled in. The
 * cut sits between ASCII bytes, so decoding the two pieces is decoding the whole.
 */
function cutCiphertext(bytes: Uint8Array, inPlace = false): { rest: unknown; ciphertext: Uint8Array } | undefined {
  const key = CIPHERTEXT_START.exec(lenient.decode(bytes.subarray(0, 1024)))
  if (!key) return undefined
  const start = key[0].length
  const end = bytes.indexOf(QUOTE, Math.max(start, bytes.length - 4096))
  if (end < 0) return undefined
  // A U+FFFD may stand for invalid UTF-8: the whole parse decides.
  const rest = lenient.decode(bytes.subarray(0, start)) + lenient.decode(bytes.subarray(end))
  if (/[\\\uFFFD]/.test(rest) || rest.indexOf('"ciphertext"') !== rest.lastIndexOf('"ciphertext"')) return undefined
  const value = parseJson(rest) as { encrypted_payload?: { ciphertext?: unknown } } | null | undefined
  if (value?.encrypted_payload?.ciphertext !== '') return undefined
  const ciphertext = decodeWithTagRoom(bytes.subarray(start, end), inPlace ? bytes : undefined)
  // Decoding in place overwrote the bytes a full parse would need.
  if (!ciphertext && inPlace) throw new ProtocolError(CIPHERTEXT_NOT_BASE64)
  return ciphertext && { rest: value, ciphertext }
}

/** Decodes padded standard base64 into a new buffer with {@link TAG_BYTES} to spare at its end. */
function decodeWithTagRoom(text: string | Uint8Array, into?: Uint8Array): Uint8Array | undefined {
  const length = decodedLength(text)
  if (length === undefined) return undefined
  const out = into ? into.subarray(0, length + TAG_BYTES) : new Uint8Array(length + TAG_BYTES)
  return decodeBase64Into(text, out.subarray(0, length)) ? out : undefined
}

/** `JSON.parse`, with `undefined` for text that is not JSON. */
function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Strict UTF-8, with `undefined` for invalid bytes. */
function decodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return decodeUtf8(bytes)
  } catch {
    return undefined
  }
}

function decodeField(text: string, field: string): Uint8Array {
  const bytes = decodeBase64(text)
  if (!bytes) throw new ProtocolError(`Malformed package: "${field}" is not standard padded base64`)
  return bytes
}
