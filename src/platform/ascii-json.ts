/**
 * The JSON string content of plain ASCII text (prose, code, logs: the long prompts people paste),
 * written as UTF-8 at twice the speed of `JSON.stringify`, and checked on the bytes it wrote so that
 * it is never wrong: anything it cannot vouch for is left to `JSON.stringify`.
 *
 * Why: for such text `JSON.stringify` only has five characters to escape (`\ " \n \r \t`), yet Node
 * 20's (V8 11) runs ~0.7 GB/s and hands back a rope that the encoder must copy flat first: 10 MiB
 * of prose took 17.5 ms to stringify and write. Here each of the five that occurs is replaced by
 * `replaceAll` (a native search), and one pass over the written bytes, four at a time, proves there
 * is nothing else to escape: ~9.5 ms (docs/performance.md).
 *
 * Why that proves it: for ASCII content, `JSON.stringify` escapes exactly `\`, `"` and the control
 * characters U+0000–U+001F, the ones below with short escapes and the others as `\u00XX`. Every
 * byte the encoder wrote is ASCII when it wrote one per character, and no byte below 0x20 means no
 * control character was left. Lone surrogates are not ASCII, so they fail the first check.
 */
// Its own encoder: `crypto/utf8.ts` imports `#platform/bytes`, which imports this file.
const encoder = new TextEncoder()

/** Backslash first: the escapes added after it contain backslashes that must stay single. */
const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ['\\', '\\\\'],
  ['"', '\\"'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]

/**
 * Writes `JSON.stringify(content)` without its quotes into `into` at `at` and returns the number of
 * bytes written, or -1 when `content` is not ASCII free of other control characters, or does not fit:
 * then the bytes from `at` on are zeros (the caller writes the content another way).
 */
export function writeAsciiJsonContent(content: string, into: Uint8Array, at: number): number {
  let text = content
  for (const [char, escaped] of ESCAPES) if (text.indexOf(char) >= 0) text = text.replaceAll(char, escaped)
  const { read, written } = encoder.encodeInto(text, into.subarray(at))
  if (read === text.length && written === read && !hasControlByte(into, at, at + written)) return written
  into.fill(0, at, at + written)
  return -1
}

/** Whether a byte below 0x20 sits in `bytes[from, to)`, all of whose bytes are ASCII. */
function hasControlByte(bytes: Uint8Array, from: number, to: number): boolean {
  const offset = bytes.byteOffset
  let i = from
  for (; i < to && (offset + i) % 4 !== 0; i++) if (bytes[i]! < 0x20) return true
  if (i === to) return false
  const words = new Uint32Array(bytes.buffer, offset + i, (to - i) >> 2)
  // Per byte b ≤ 0x7F, b + 0x60 carries into no other byte and has its top bit set iff b ≥ 0x20:
  // the AND of all sums keeps every top bit only if no byte of any word was below 0x20.
  let all = -1
  for (let w = 0; w < words.length; w++) all &= words[w]! + 0x60606060
  if (~all & 0x80808080) return true
  for (i += words.length * 4; i < to; i++) if (bytes[i]! < 0x20) return true
  return false
}
