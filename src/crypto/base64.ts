/**
 * Standard base64 (RFC 4648 §4, padded, no line breaks) at native speed where the runtime has it.
 *
 * Fastest first: `Uint8Array.prototype.toBase64`/`setFromBase64` (Deno, Bun, workerd, recent
 * browsers, Node ≥ 25), then Node's `Buffer` (reached through `#platform/bytes`, so only Node builds
 * contain it), then `btoa`/`atob`. Bun and Deno take the bulk of big payloads straight between
 * bytes, with no string at all (`base64-quanta.ts`): for memory, not speed.
 * Never `String.fromCharCode(...bigArray)`: it overflows the stack on large payloads. Never a
 * whole-string regular expression either: V8 backtracks through `^(?:....)*$` with one stack frame
 * per group, which throws RangeError past ~5 MB and costs ~30 ms per MB below that.
 */

import { BASE64_SLICE_BYTES, asciiText, decodeBase64Quanta, encodeBase64Quanta, nodeBase64 } from '#platform/bytes'
import { utf8Encoder as asciiEncoder } from './utf8.js'

interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string
  setFromBase64?: (this: Uint8Array, text: string) => { read: number; written: number }
}

const proto = Uint8Array.prototype as unknown as NativeBase64

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  if (proto.toBase64) return proto.toBase64.call(bytes)
  if (nodeBase64) return nodeBase64.encode(bytes)
  let out = ''
  // btoa pads each chunk, so CHUNK is a multiple of 3 (0x8000 was not: padding mid-string past 32 KiB).
  const CHUNK = 3 * 0x2000
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]))
  }
  return out
}

// Big payloads go through base64 in slices, so no 13 MB string (a 10 MiB payload's base64) is ever
// built. Each slice's string stays under V8's 128 KiB limit for ordinary young objects and dies
// young (128 KiB strings land in large-object space and ran 5× slower). The slice size is the
// platform's (#platform/bytes).
const SLICE_BYTES = BASE64_SLICE_BYTES
const SLICE_CHARS = (SLICE_BYTES / 3) * 4
const EQUALS = 0x3d

/**
 * Writes the padded base64 of `bytes` into `target` (4·⌈n/3⌉ bytes or more) as ASCII, one byte per
 * character; returns the number of bytes written.
 */
export function encodeBase64Into(bytes: Uint8Array, target: Uint8Array): number {
  // Deno encodes every whole quantum from the bytes themselves, making no slice strings
  // (`#platform/bytes`); the last one or two bytes go through the slices below.
  const whole = encodeBase64Quanta ? bytes.length - (bytes.length % 3) : 0
  let written = whole && encodeBase64Quanta!(bytes.subarray(0, whole), target)
  // SLICE_BYTES is a multiple of 3, so only the last slice can carry padding.
  for (let i = whole; i < bytes.length; i += SLICE_BYTES) {
    written += asciiEncoder.encodeInto(encodeBase64(bytes.subarray(i, i + SLICE_BYTES)), target.subarray(written)).written
  }
  return written
}

/**
 * The number of bytes `text` (a string, or its ASCII bytes) decodes to if it is padded standard
 * base64, judged by its length and padding only; `undefined` when the length alone rules it out.
 */
export function decodedLength(text: string | Uint8Array): number | undefined {
  const n = text.length
  const padding = (i: number) => text[n - i] === '=' || text[n - i] === EQUALS
  return n % 4 ? undefined : (n / 4) * 3 - (n && padding(1) ? (padding(2) ? 2 : 1) : 0)
}

/**
 * Decodes padded standard base64 (a string, or its ASCII bytes straight from the wire) into
 * `target`, which must be exactly {@link decodedLength} long, so a big ciphertext lands where it is
 * needed without another copy. Returns false for anything but padded standard base64 (other
 * alphabets, whitespace, misplaced padding); `target` then holds garbage.
 *
 * Every decoder below skips, stops at or throws on a character outside the alphabet, so for a text
 * of the right length and padding, such a character means fewer bytes than `target.length`: the
 * count of bytes written is the strictness check, at no extra pass over the text.
 */
export function decodeBase64Into(text: string | Uint8Array, target: Uint8Array): boolean {
  if (decodedLength(text) !== target.length) return false
  if (typeof text !== 'string') {
    // Bun and Deno decode every quantum but the last (which may carry padding) from the bytes
    // themselves, making no slice strings (`#platform/bytes`); the last goes through the checks below.
    const head = text.length - 4
    if (decodeBase64Quanta && head > 0) {
      const split = (head / 4) * 3
      return (
        decodeBase64Quanta(text.subarray(0, head), target.subarray(0, split)) &&
        decodeBase64Into(asciiText(text.subarray(head)), target.subarray(split))
      )
    }
    // Slice by slice: every slice but the last is whole quanta without padding, so the slices are
    // strict exactly when the whole is.
    for (let i = 0, o = 0; i < text.length; i += SLICE_CHARS, o += SLICE_BYTES) {
      const out = i + SLICE_CHARS < text.length ? target.subarray(o, o + SLICE_BYTES) : target.subarray(o)
      if (!decodeBase64Into(asciiText(text.subarray(i, i + SLICE_CHARS)), out)) return false
    }
    return true
  }
  // RFC 4648 §3.5: the bits a padded last quantum leaves unused must be zero, or one byte string has
  // several spellings (`QQ==` and `QR==` both read "A"); the native decoders drop those bits
  // silently. Re-encoding the last bytes gives the one canonical spelling of the tail.
  const tail = target.length % 3
  return decodeText(text, target) && (!tail || encodeBase64(target.subarray(-tail)) === text.slice(-4))
}

function decodeText(text: string, target: Uint8Array): boolean {
  if (proto.setFromBase64) {
    try {
      const { read, written } = proto.setFromBase64.call(target, text)
      return read === text.length && written === target.length
    } catch {
      return false
    }
  }
  if (nodeBase64) return nodeBase64.decodeInto(text, target)
  let binary: string
  try {
    binary = atob(text)
  } catch {
    return false
  }
  if (binary.length !== target.length) return false
  for (let i = 0; i < binary.length; i++) target[i] = binary.charCodeAt(i)
  return true
}

/**
 * Decodes padded standard base64. Returns `undefined` for anything else (other alphabets, missing
 * padding, whitespace), so the caller raises its own typed error naming the field.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const length = decodedLength(text)
  if (length === undefined) return undefined
  const bytes = new Uint8Array(length)
  return decodeBase64Into(text, bytes) ? bytes : undefined
}

/** base64url without padding, for JWK members. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
