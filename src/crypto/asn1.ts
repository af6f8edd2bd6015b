/**
 * The smallest DER reader and writer that PKCS#8, PKCS#1 and PBES2 need: SEQUENCE, INTEGER,
 * OCTET STRING, OBJECT IDENTIFIER and NULL with short and long-form lengths.
 *
 * Key files come from disk or from users, so the reader treats every byte as hostile: each length
 * is checked against what is left, and any malformed input becomes a {@link KeyError} that names
 * the structure being read, never the bytes.
 *
 * @internal
 */
import { KeyError } from '../errors.js'

export type Bytes = Uint8Array<ArrayBuffer>

/** Universal tags used by key files; context-specific tags are read with their raw tag byte. */
export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const

// A length needing more than four bytes would describe a structure of 4 GiB or more: never a key.
const MAX_LENGTH_BYTES = 4
// Real OIDs are a few dozen bytes; capping keeps hostile input from building huge strings.
const MAX_OID_BYTES = 64

/** Reads TLVs one after another from `bytes`; `what` names the structure in error messages. */
export class DerReader {
  private pos = 0

  constructor(
    private readonly bytes: Bytes,
    readonly what: string,
  ) {}

  /** True once every byte has been read. */
  get done(): boolean {
    return this.pos >= this.bytes.length
  }

  /** The tag of the next element, or `undefined` at the end. */
  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.pos]
  }

  /** Reads one element and returns its contents (a view, not a copy). */
  read(tag: number, field = 'element'): Bytes {
    return this.readTlv(tag, field).value
  }

  /** Reads one element and returns the whole encoding, tag and length included. */
  readRaw(tag: number, field = 'element'): Bytes {
    const start = this.pos
    this.readTlv(tag, field)
    return this.bytes.subarray(start, this.pos)
  }

  /** Reads a SEQUENCE and returns a reader over its contents. */
  sequence(field = 'SEQUENCE'): DerReader {
    return new DerReader(this.read(TAG.SEQUENCE, field), this.what)
  }

  /** Reads an INTEGER and returns its two's-complement contents (at least one byte). */
  integer(field = 'INTEGER'): Bytes {
    const value = this.read(TAG.INTEGER, field)
    if (value.length === 0) this.fail(`${field} is empty`)
    return value
  }

  /** Reads a non-negative INTEGER no larger than `max` (at most 2^48). */
  smallInteger(field: string, max: number): number {
    const raw = this.integer(field)
    if (raw[0]! & 0x80) this.fail(`${field} is negative`)
    const value = stripLeadingZeros(raw)
    if (value.length > 6) this.fail(`${field} is too large`)
    let n = 0
    for (const b of value) n = n * 256 + b
    if (n > max) this.fail(`${field} is too large`)
    return n
  }

  /** Reads an OCTET STRING. */
  octetString(field = 'OCTET STRING'): Bytes {
    return this.read(TAG.OCTET_STRING, field)
  }

  /** Reads an OBJECT IDENTIFIER and returns it in dotted form. */
  oid(field = 'OBJECT IDENTIFIER'): string {
    const value = this.read(TAG.OID, field)
    if (value.length === 0 || value.length > MAX_OID_BYTES) this.fail(`${field} has a bad length`)
    const arcs: number[] = []
    let arc = 0
    for (let i = 0; i < value.length; i++) {
      const b = value[i]!
      // A leading 0x80 would be a non-minimal arc; DER forbids it.
      if (arc === 0 && b === 0x80) this.fail(`${field} is not minimally encoded`)
      if (arc > 2 ** 45) this.fail(`${field} has an arc that is too large`)
      arc = arc * 128 + (b & 0x7f)
      if (b & 0x80) {
        if (i === value.length - 1) this.fail(`${field} is truncated`)
        continue
      }
      if (arcs.length === 0) arcs.push(arc < 80 ? Math.floor(arc / 40) : 2, arc < 80 ? arc % 40 : arc - 80)
      else arcs.push(arc)
      arc = 0
    }
    return arcs.join('.')
  }

  /** Reads a NULL. */
  null(field = 'NULL'): void {
    if (this.read(TAG.NULL, field).length !== 0) this.fail(`${field} is not empty`)
  }

  /** Throws unless every byte has been read: trailing data means the structure is not what we think. */
  end(): void {
    if (!this.done) this.fail('has unexpected trailing data')
  }

  /** Throws a {@link KeyError} naming the structure. */
  fail(problem: string): never {
    throw new KeyError(`The ${this.what} is malformed: ${problem}`)
  }

  private readTlv(tag: number, field: string): { value: Bytes } {
    const { bytes } = this
    if (this.pos >= bytes.length) this.fail(`${field} is missing`)
    if (bytes[this.pos] !== tag) this.fail(`${field} has an unexpected type`)
    let p = this.pos + 1
    if (p >= bytes.length) this.fail(`${field} is truncated`)
    let length = bytes[p++]!
    if (length & 0x80) {
      const count = length & 0x7f
      // 0x80 alone is BER's indefinite length, which DER forbids.
      if (count === 0 || count > MAX_LENGTH_BYTES) this.fail(`${field} has an unsupported length encoding`)
      if (p + count > bytes.length) this.fail(`${field} is truncated`)
      length = 0
      for (let i = 0; i < count; i++) length = length * 256 + bytes[p++]!
      if (length < 0x80 || bytes[p - count] === 0) this.fail(`${field} has a non-minimal length`)
    }
    if (length > bytes.length - p) this.fail(`${field} is truncated`)
    this.pos = p + length
    return { value: bytes.subarray(p, p + length) }
  }
}

/** Drops the 0x00 sign bytes in front of a positive INTEGER (keeps one byte for zero). */
export function stripLeadingZeros(value: Bytes): Bytes {
  let i = 0
  while (i < value.length - 1 && value[i] === 0) i++
  return value.subarray(i)
}

/** Encodes one TLV whose contents are `parts` laid end to end (one copy, no intermediate buffers). */
export function derTlv(tag: number, ...parts: Uint8Array[]): Bytes {
  const len = parts.reduce((n, p) => n + p.length, 0)
  let header: number[]
  if (len < 0x80) header = [tag, len]
  else {
    const lenBytes: number[] = []
    for (let n = len; n > 0; n = Math.floor(n / 256)) lenBytes.unshift(n & 0xff)
    header = [tag, 0x80 | lenBytes.length, ...lenBytes]
  }
  const out = new Uint8Array(header.length + len)
  out.set(header)
  let offset = header.length
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Encodes a SEQUENCE of already-encoded elements. */
export function derSequence(...elements: Uint8Array[]): Bytes {
  return derTlv(TAG.SEQUENCE, ...elements)
}

/** Encodes a non-negative INTEGER from a safe integer or from unsigned big-endian bytes. */
export function derInteger(value: number | Uint8Array): Bytes {
  let bytes: Uint8Array
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new TypeError('derInteger: expected a non-negative safe integer')
    const out: number[] = []
    for (let n = value; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff)
    bytes = Uint8Array.from(out)
  } else {
    bytes = stripLeadingZeros(value as Bytes)
  }
  if (bytes.length === 0) bytes = Uint8Array.of(0)
  // A set high bit would read as negative, so positive values get a 0x00 sign byte.
  return bytes[0]! & 0x80 ? derTlv(TAG.INTEGER, Uint8Array.of(0), bytes) : derTlv(TAG.INTEGER, bytes)
}

/** Encodes an OCTET STRING. */
export function derOctetString(value: Uint8Array): Bytes {
  return derTlv(TAG.OCTET_STRING, value)
}

/** Encodes a NULL. */
export function derNull(): Bytes {
  return Uint8Array.of(TAG.NULL, 0)
}

/** Encodes an OBJECT IDENTIFIER given in dotted form. */
export function derOid(dotted: string): Bytes {
  const arcs = dotted.split('.').map(Number)
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0) || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! >= 40)) {
    throw new TypeError('derOid: not a valid object identifier')
  }
  const out: number[] = []
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const groups = [arc & 0x7f]
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n & 0x7f) | 0x80)
    out.push(...groups)
  }
  return derTlv(TAG.OID, Uint8Array.from(out))
}
