/**
 * A JSON value as UTF-8 in a buffer with room to spare (for its sealed package), with no long string
 * built on the way: `JSON.stringify(value)`'s text is handed out in pieces whose concatenation is exactly
 * that text, and each piece is encoded where it lands.
 *
 * Why: V8 returns a long JSON text as a rope of 16 KiB parts, and every API that reads it
 * (`TextEncoder`, `Buffer`) first copies it into one flat string: for a 10 MiB prompt in Node 20,
 * 5.4 ms and 10 MiB more while the rope is still alive. Here each long string of the payload is
 * stringified in slices of {@link SLICE_CHARS}, each encoded and dropped before the next: 10 MiB
 * went to UTF-8 in ~18 ms instead of ~21 (Node), 8.5 instead of 9.8 (Deno), 16.5 instead of 20.6
 * (Bun). Where `#platform/bytes` has a faster writer for a slice (Node and Bun: `ascii-json.ts`,
 * plain ASCII), it writes the slice instead: 10 MiB of prose in ~11 ms in Node (docs/performance.md).
 *
 * The pieces are JSON.stringify's own output, so the bytes are the same by construction: the
 * payload goes through `JSON.stringify` once (toJSON, getters, key order and errors as usual), with
 * a replacer that swaps each long string for a marker; each marker's place then gets that string's
 * JSON, slice by slice. A slice never ends between the halves of a surrogate pair, which would
 * escape them as two lone halves.
 *
 * package.json `"imports"` maps `#platform/json-utf8` here everywhere but under the `browser`
 * condition, which gets `json-utf8-browser.ts` (the text whole, as before): pages seldom send
 * 10 MiB, and page bundles have a size budget. Workers (`workerd`, `worker`, `edge-light`) come here.
 */
import { randomId } from '../crypto/random.js'
import { utf8Encoder as encoder } from '../crypto/utf8.js'
import { ciphertextLead } from '../protocol/ciphertext-lead.js'
import { writeJsonContent } from '#platform/bytes'
import type * as Browser from './json-utf8-browser.js'

/** A string this long (UTF-16 units) is stringified in slices. */
const LONG_STRING_CHARS = 64 * 1024
/** Characters per slice: each slice's JSON stays a short string (in Node, 128 KiB ones are slower). */
const SLICE_CHARS = 32 * 1024
/** Values the search for a long string looks at before giving up (a plain stringify then). */
const SEARCH_BUDGET = 4096
/** Room beyond a length known only up to the long strings' escapes: an eighth. */
const SPARE = 1.125

/** A JSON text in pieces whose concatenation is the text. */
interface JsonText {
  /** The text's length in UTF-16 units when `exact`; else the length it would have if its long strings had nothing to escape. */
  length: number
  exact: boolean
  /**
   * Calls `take` with each piece of the text, in order: text as it stands, or (`raw`) a slice of a
   * long string whose JSON escape, {@link escapedContent}, is the piece.
   */
  forEachPiece(take: (piece: string, raw: boolean) => void): void
}

/** A string's JSON escape without the quotes. */
export const escapedContent = (content: string): string => JSON.stringify(content).slice(1, -1)

/** `JSON.stringify(value)` in pieces: one piece, exact, unless the value holds a long string. */
export function jsonText(value: unknown): JsonText {
  if (!hasLongString(value)) {
    const text = JSON.stringify(value)
    return { length: text.length, exact: true, forEachPiece: (take) => take(text, false) }
  }
  const long: string[] = []
  // Unguessable, so no other string of the payload is taken for it; its JSON differs from itself
  // (NUL is escaped), so the text holds it only where the replacer put it.
  const marker = `\u0000${randomId()}`
  const text = JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'string' && field.length >= LONG_STRING_CHARS ? (long.push(field), marker) : field,
  )
  const quoted = JSON.stringify(marker)
  let length = text.length
  for (const field of long) length += field.length + 2 - quoted.length
  return { length, exact: false, forEachPiece: (take) => eachPiece(text, quoted, long, take) }
}

function eachPiece(text: string, quoted: string, long: string[], take: (piece: string, raw: boolean) => void): void {
  let at = 0
  for (const field of long) {
    // Each marker's opening quote ends the piece before it, its closing quote starts the next.
    const found = text.indexOf(quoted, at)
    take(text.slice(at, found + 1), false)
    for (let start = 0; start < field.length; ) {
      let end = Math.min(start + SLICE_CHARS, field.length)
      const last = field.charCodeAt(end - 1)
      if (end < field.length && last >= 0xd800 && last <= 0xdbff) end--
      take(field.slice(start, end), true)
      start = end
    }
    at = found + quoted.length - 1
  }
  take(text.slice(at), false)
}

/**
 * Whether a string of {@link LONG_STRING_CHARS} or more sits in `value`'s plain objects and arrays.
 * It reads values as `JSON.stringify` does, so a getter among them runs once more.
 */
function hasLongString(value: unknown): boolean {
  const stack = [value]
  for (let budget = SEARCH_BUDGET; stack.length > 0 && budget > 0; budget--) {
    const next = stack.pop()
    if (typeof next === 'string') {
      if (next.length >= LONG_STRING_CHARS) return true
    } else if (Array.isArray(next) || isPlainObject(next)) {
      const values: unknown[] = Array.isArray(next) ? next : Object.values(next)
      for (let i = 0; i < values.length && i < budget; i++) stack.push(values[i])
    }
  }
  return false
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * The platform's fast writer for long strings' slices (`writeJsonContent`: Node and Bun), or -1
 * where there is none or it refuses the slice. After a refusal (text that is not plain ASCII: CJK,
 * an emoji) it sits out 1, then 3, 7, 15… slices before trying again: text that is not ASCII at
 * all costs it a handful of tries (each as dear as a slice), and a stray emoji in ASCII prose costs
 * two slices at `JSON.stringify`'s speed.
 */
function fastSliceWriter(): (raw: string, into: Uint8Array, at: number) => number {
  const write = writeJsonContent
  if (!write) return () => -1
  let refusals = 0
  let skip = 0
  return (raw, into, at) => {
    if (skip > 0) {
      skip--
      return -1
    }
    const written = write(raw, into, at)
    if (written >= 0) refusals = 0
    else skip = 2 ** ++refusals - 1
    return written
  }
}

/**
 * `value` as UTF-8 JSON in a buffer of `room(bytes)` bytes for its `bytes` of UTF-8 (the package's
 * capacity, `packageCapacity`, so the package can be written over it: one buffer instead of two,
 * and no plaintext left behind), at its `ciphertextLead`: where Node's cipher seals it with no
 * move, and where the package, as long as the text at least, still covers it. A text over `limit`
 * bytes only gets the room to show it is over.
 *
 * The text comes in pieces ({@link jsonText}). When its length is only known up to the escapes of
 * its long strings, the room has an eighth more, untouched (so no memory) unless needed, and the
 * lead is the one for the lower bound. Text whose package still does not fit (CJK: 3 bytes per
 * character; JSON pasted into a prompt, a third of it quotes) is finished piece by piece and then
 * copied, every copy wiped, to the start of a room of the right size.
 */
export const encodeJsonWithRoom: typeof Browser.encodeJsonWithRoom = (value, room, limit = Number.POSITIVE_INFINITY) => {
  const json = jsonText(value)
  // A lower bound of the UTF-8's length: one byte per UTF-16 unit at least.
  const least = Math.min(json.length, limit)
  const into = new Uint8Array(room(json.exact ? least : least * SPARE))
  const start = ciphertextLead(least)
  let at = start
  const rest: Uint8Array[] = []
  const fast = fastSliceWriter()
  json.forEachPiece((raw, isRaw) => {
    if (isRaw && rest.length === 0) {
      const written = fast(raw, into, at)
      if (written >= 0) return void (at += written)
    }
    const piece = isRaw ? escapedContent(raw) : raw
    if (rest.length > 0) return void rest.push(encoder.encode(piece))
    const { read, written } = encoder.encodeInto(piece, into.subarray(at))
    at += written
    if (read < piece.length) rest.push(encoder.encode(piece.slice(read)))
  })
  if (rest.length === 0 && (into.length >= room(at - start) || at - start > limit)) return into.subarray(start, at)
  let length = at - start
  for (const bytes of rest) length += bytes.length
  const whole = new Uint8Array(length > limit ? length : room(length)).subarray(0, length)
  whole.set(into.subarray(start, at))
  into.fill(0, start, at)
  at -= start
  for (const bytes of rest) {
    whole.set(bytes, at)
    at += bytes.length
    bytes.fill(0)
  }
  return whole
}
