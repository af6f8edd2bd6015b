/**
 * The ASCII JSON writer (`src/platform/ascii-json.ts`): what it writes is the UTF-8 of
 * `JSON.stringify(content)` without quotes, exactly; it refuses (-1, zeros left) precisely the text it
 * cannot vouch for (not ASCII, a control character other than \n \r \t, no room), wherever the
 * control character sits against the 4-byte words it checks; and it takes the text it is for.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { writeAsciiJsonContent } from '../../src/platform/ascii-json.js'

const expected = (content: string) => Buffer.from(JSON.stringify(content).slice(1, -1))

/** What the writer must take: ASCII with no control character but the three short-escaped ones. */
const takes = (content: string) => !/[^\x20-\x7f\n\r\t]/.test(content)

/** Writes `content` at `at` in a view that starts `shift` bytes into its buffer; checks the outcome. */
function check(content: string, at: number, shift: number, room = 8 * content.length + 16) {
  const buffer = new Uint8Array(shift + at + room).fill(0xaa)
  const into = buffer.subarray(shift)
  const written = writeAsciiJsonContent(content, into, at)
  const want = expected(content)
  if (written >= 0) {
    expect(Buffer.from(into.subarray(at, at + written)).equals(want)).toBe(true)
    expect(into.subarray(at + written).every((b) => b === 0xaa)).toBe(true)
  } else {
    expect(into.subarray(at).every((b) => b === 0 || b === 0xaa)).toBe(true)
  }
  // The bytes before `at` are never touched.
  expect(buffer.subarray(0, shift + at).every((b) => b === 0xaa)).toBe(true)
  return written
}

// Every ASCII character (controls included), and non-ASCII ones: é, €, U+2028, an emoji, lone halves.
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('"', '\\', '\n', '\r', '\t', '/', 'a', ' '),
  fc.constantFrom('é', '€', '\u2028', '😀', '\ud83d', '\ude00'),
)

describe('writeAsciiJsonContent', () => {
  it('writes exactly JSON.stringify, and refuses exactly what it cannot vouch for', () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }), fc.nat(7), fc.nat(3), (units, at, shift) => {
        const content = units.join('')
        const written = check(content, at, shift)
        expect(written >= 0).toBe(takes(content))
      }),
      { numRuns: 2000 },
    )
  })

  it('takes long prose with every escape it handles, at any alignment', () => {
    const prose = 'say "hi"\\n to C:\\temp\r\n\tindented / slashed \u007f end.\n'.repeat(2000)
    for (let at = 0; at < 4; at++) for (let shift = 0; shift < 4; shift++) expect(check(prose, at, shift)).toBeGreaterThan(0)
  })

  it('finds a control character in the first, middle or last bytes of any word', () => {
    for (const control of ['\u0000', '\u0001', '\u000b', '\u001f', '\b', '\f']) {
      for (let position = 0; position < 40; position++) {
        const content = `${'x'.repeat(position)}${control}${'y'.repeat(40 - position)}`
        for (let at = 0; at < 4; at++) expect(check(content, at, position % 4)).toBe(-1)
      }
    }
  })

  it('refuses text that does not fit, leaving zeros where it wrote', () => {
    const content = 'plain text '.repeat(100)
    expect(check(content, 3, 1, content.length - 1)).toBe(-1)
    expect(check(content, 3, 1, content.length)).toBe(content.length)
  })

  it('writes nothing for empty content', () => {
    expect(check('', 0, 0)).toBe(0)
  })
})
