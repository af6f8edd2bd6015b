/**
 * `JSON.stringify(value)`, handed out in pieces whose concatenation is exactly that text, so that
 * no long string is built on the way to UTF-8.
 *
 * Why: V8 returns a long JSON text as a rope of 16 KiB parts, and every API that reads it
 * (`TextEncoder`, `Buffer`) first copies it into one flat string: for a 10 MiB prompt in Node 20,
 * 5.4 ms and 10 MiB more while the rope is still alive. Here each long string of the payload is
 * stringified in slices of {@link SLICE_CHARS}, each encoded and dropped before the next: 10 MiB
 * goes to UTF-8 in ~18 ms instead of ~21 (Node), 8.5 instead of 9.8 (Deno), 16.5 instead of 20.6
 * (Bun) (docs/performance.md).
 *
 * The pieces are JSON.stringify's own output, so the bytes are the same by construction: the
 * payload goes through `JSON.stringify` once (toJSON, getters, key order and errors as usual), with
 * a replacer that swaps each long string for a marker; each marker's place then gets that string's
 * JSON, slice by slice. A slice never ends between the halves of a surrogate pair, which would
 * escape them as two lone halves.
 */
import { randomId } from '../crypto/random.js'

/** A string this long (UTF-16 units) is stringified in slices. */
const LONG_STRING_CHARS = 64 * 1024
/** Characters per slice: each slice's JSON stays a short string (in Node, 128 KiB ones are slower). */
const SLICE_CHARS = 32 * 1024
/** Values the search for a long string looks at before giving up (a plain stringify then). */
const SEARCH_BUDGET = 4096

/** A JSON text in pieces (see the module comment). */
export interface JsonText {
  /** The text's length in UTF-16 units when `exact`; else the length it would have if its long strings had nothing to escape. */
  length: number
  exact: boolean
  /** Calls `take` with each piece of the text, in order. */
  forEachPiece(take: (piece: string) => void): void
}

/** `JSON.stringify(value)` in pieces: one piece, exact, unless the value holds a long string. */
export function jsonText(value: unknown): JsonText {
  if (!hasLongString(value)) {
    const text = JSON.stringify(value)
    return { length: text.length, exact: true, forEachPiece: (take) => take(text) }
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

function eachPiece(text: string, quoted: string, long: string[], take: (piece: string) => void): void {
  let at = 0
  for (const field of long) {
    // Each marker's opening quote ends the piece before it, its closing quote starts the next.
    const found = text.indexOf(quoted, at)
    take(text.slice(at, found + 1))
    for (let start = 0; start < field.length; ) {
      let end = Math.min(start + SLICE_CHARS, field.length)
      const last = field.charCodeAt(end - 1)
      if (end < field.length && last >= 0xd800 && last <= 0xdbff) end--
      take(JSON.stringify(field.slice(start, end)).slice(1, -1))
      start = end
    }
    at = found + quoted.length - 1
  }
  take(text.slice(at))
}

/** Whether a string of {@link LONG_STRING_CHARS} or more sits in `value`'s plain objects and arrays. */
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
