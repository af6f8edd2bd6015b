/**
 * Fuzzing the key readers. Router public keys (SPKI PEM) go into `importPublicKeyPem` and into a
 * client that pins the real key; private key files (PKCS#8, encrypted PKCS#8, PKCS#1 from
 * ../shared/vectors/keys) go into `importPrivateKeyPem`. Every case must end in a `KeyError` (or its
 * `UnsupportedKeyError`), or load a key that is exactly the original one: a router key the pin
 * accepts, a private key whose public half is the fixture's public key and which opens what is
 * sealed to it. A damaged file must never load as some other, broken key. Nothing may take more than
 * 2 s, hostile PBKDF2 iteration counts included.
 *
 * `FUZZ_RUNS` changes the number of cases per target (default 10,000); `FC_SEED` replays a run.
 */
import { constants, createHash, publicEncrypt } from 'node:crypto'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { KeyError, SecureCompletionClient, SecurityError, UnsupportedKeyError } from '../../src/runtime/node.js'
import { importPrivateKeyPem } from '../../src/crypto/pkcs8.js'
import { importPublicKeyPem } from '../../src/crypto/rsa.js'
import { CASE_LIMIT_MS, HangError, Tally, check, detBytes, fuzzSeed, within } from './support.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
const TARGET_TIMEOUT_MS = 180_000
const seed = fuzzSeed('fuzz-keys')

// ---------------------------------------------------------------------------------------------
// Fixtures, read independently of the library.

const KEYS = new URL('../../../shared/vectors/keys/', import.meta.url)
const read = (name: string) => readFileSync(new URL(name, KEYS), 'utf8')
const PASSWORD = (JSON.parse(read('index.json')) as { password: string }).password

function pemParts(pem: string): { label: string; der: Uint8Array } {
  const [, label, body] = /-----BEGIN ([^-]+)-----\n([\s\S]*?)-----END/.exec(pem)!
  return { label: label!, der: new Uint8Array(Buffer.from(body!.replace(/\s/g, ''), 'base64')) }
}
function armour(der: Uint8Array, label: string, width = 64, eol = '\n'): string {
  const body = Buffer.from(der).toString('base64')
  const lines: string[] = []
  for (let i = 0; i < body.length; i += width) lines.push(body.slice(i, i + width))
  return `-----BEGIN ${label}-----${eol}${lines.join(eol)}${eol}-----END ${label}-----${eol}`
}
const sha256hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

interface PublicFixture {
  name: string
  pem: string
  der: Uint8Array
  pin: string
}
const PUBLIC: PublicFixture[] = ['openssl-public.pem', 'python-cryptography-public.pem'].map((name) => {
  const pem = read(name)
  const { der } = pemParts(pem)
  return named(name, { name, pem, der, pin: sha256hex(der) })
})

interface PrivateFixture {
  name: string
  pem: string
  label: string
  der: Uint8Array
  password: string | undefined
  publicDer: Uint8Array
  /** A value sealed to the original public key: a loaded key must open it. */
  probe: { sealed: Uint8Array; secret: Uint8Array }
  expect: 'ok' | 'unsupported'
}
function privateFixture(
  name: string,
  publicName: string,
  password: string | undefined,
  expect: PrivateFixture['expect'] = 'ok',
): PrivateFixture {
  const pem = read(name)
  const publicPem = read(publicName)
  const secret = detBytes(`probe/${name}`, 32)
  const sealed = new Uint8Array(publicEncrypt({ key: publicPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, secret))
  return named(name, { name, pem, ...pemParts(pem), password, publicDer: pemParts(publicPem).der, probe: { sealed, secret }, expect })
}
/** Counterexamples print a fixture by its file name, not its bytes. */
function named<T extends object>(name: string, value: T): T {
  return Object.assign(value, { [fc.toStringMethod]: () => name })
}
const PLAIN = [
  privateFixture('openssl-plain.pem', 'openssl-public.pem', undefined),
  privateFixture('python-cryptography-plain.pem', 'python-cryptography-public.pem', undefined),
  privateFixture('openssl-pkcs1-traditional.pem', 'openssl-public.pem', undefined),
]
const ENCRYPTED = [
  privateFixture('openssl-aes128-sha1.pem', 'openssl-public.pem', PASSWORD),
  privateFixture('openssl-aes256-sha256.pem', 'openssl-public.pem', PASSWORD),
  privateFixture('python-cryptography-enc.pem', 'python-cryptography-public.pem', PASSWORD),
  privateFixture('openssl-des3-unsupported.pem', 'openssl-public.pem', PASSWORD, 'unsupported'),
]

// ---------------------------------------------------------------------------------------------
// A minimal DER tree, to rebuild encrypted key files with one parameter replaced.

interface Tlv {
  tag: number
  value?: Uint8Array
  children?: Tlv[]
}
function parseDer(bytes: Uint8Array, headers?: number[], offset = 0): Tlv[] {
  const out: Tlv[] = []
  let p = 0
  while (p < bytes.length) {
    headers?.push(offset + p)
    const tag = bytes[p++]!
    let length = bytes[p++]!
    if (length & 0x80) {
      const n = length & 0x7f
      length = 0
      for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!
    }
    const content = bytes.subarray(p, p + length)
    out.push(tag & 0x20 ? { tag, children: parseDer(content, headers, offset + p) } : { tag, value: content })
    p += length
  }
  return out
}
function encodeDer(t: Tlv): Uint8Array {
  const content = t.children ? Buffer.concat(t.children.map(encodeDer)) : Buffer.from(t.value!)
  const n = content.length
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255]
  return new Uint8Array(Buffer.concat([Buffer.from([t.tag, ...length]), content]))
}
const cloneTlv = (t: Tlv): Tlv =>
  t.children ? { tag: t.tag, children: t.children.map(cloneTlv) } : { tag: t.tag, value: t.value!.slice() }
function oid(dotted: string): Tlv {
  const arcs = dotted.split('.').map(Number)
  const bytes: number[] = []
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const groups = [arc % 128]
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n % 128) | 0x80)
    bytes.push(...groups)
  }
  return { tag: 0x06, value: Uint8Array.from(bytes) }
}
function integer(value: bigint): Uint8Array {
  let hex = value.toString(16)
  if (hex.length % 2) hex = '0' + hex
  const bytes = Buffer.from(hex, 'hex')
  return bytes[0]! & 0x80 ? Uint8Array.from([0, ...bytes]) : new Uint8Array(bytes)
}

/** The parts of an EncryptedPrivateKeyInfo with PBES2 (RFC 8018), as paths into its DER tree. */
const EPKI = {
  scheme: [0, 0],
  kdf: [0, 1, 0, 0],
  kdfParams: [0, 1, 0, 1],
  cipher: [0, 1, 1, 0],
  iv: [0, 1, 1, 1],
  data: [1],
} as const
function at(root: Tlv, path: readonly number[]): Tlv {
  let node = root
  for (const i of path) node = node.children![i]!
  return node
}

// ---------------------------------------------------------------------------------------------
// Oracles.

type Outcome = 'same-key' | 'other-key' | 'key-error' | 'unsupported'

async function timed<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now()
  let outcome: { value?: T; error?: unknown; ms: number }
  try {
    outcome = { value: await within(promise), ms: 0 }
  } catch (error) {
    if (error instanceof HangError) throw error
    outcome = { error, ms: 0 }
  }
  outcome.ms = performance.now() - started
  if (outcome.ms > CASE_LIMIT_MS) throw new HangError(`case took ${outcome.ms.toFixed(0)} ms`)
  return outcome
}

function keyErrorOutcome(error: unknown): Outcome {
  if (error instanceof UnsupportedKeyError) return 'unsupported'
  if (error instanceof KeyError) {
    if (error.cause !== undefined) throw new Error('KeyError with a cause')
    return 'key-error'
  }
  throw new Error(`untyped exception: ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`)
}

/** A router key PEM through `importPublicKeyPem`, then through a client pinned to the original. */
async function runPublic(pem: unknown, fixture: PublicFixture): Promise<{ outcome: Outcome; ms: number }> {
  const result = await timed(importPublicKeyPem(pem as string, 'router public key'))
  let outcome: Outcome
  if (result.value) {
    const key = result.value
    const algorithm = key.algorithm as RsaHashedKeyAlgorithm
    if (key.type !== 'public' || algorithm.name !== 'RSA-OAEP' || algorithm.hash.name !== 'SHA-256' || algorithm.modulusLength < 2048) {
      throw new Error(`imported a key that is not RSA-OAEP-256 of at least 2048 bits (${algorithm.modulusLength})`)
    }
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', key))
    outcome = same(spki, fixture.der) ? 'same-key' : 'other-key'
  } else {
    outcome = keyErrorOutcome(result.error)
  }
  // Whatever the PEM became, a client pinned to the real key uses it only when it is the real key.
  const pinned = new SecureCompletionClient({
    routerUrl: 'http://127.0.0.1:9',
    allowHttp: true,
    maxRetries: 0,
    routerPublicKey: pem as string,
    routerKeyPins: [fixture.pin],
  })
  const viaClient = await timed(pinned.fetchServerPublicKey())
  if (outcome === 'same-key' && viaClient.error)
    throw new Error(`the pinned client refused the real key: ${(viaClient.error as Error).message}`)
  if (outcome === 'other-key' && !(viaClient.error instanceof SecurityError)) throw new Error('the pinned client accepted another key')
  if (outcome === 'key-error' && !(viaClient.error instanceof KeyError)) throw new Error('the client and importPublicKeyPem disagree')
  return { outcome, ms: result.ms + viaClient.ms }
}

/** A private key PEM through `importPrivateKeyPem`: a typed error, or exactly the fixture's key pair. */
async function runPrivate(pem: unknown, password: string | undefined, fixture: PrivateFixture): Promise<{ outcome: Outcome; ms: number }> {
  const result = await timed(importPrivateKeyPem(pem as string, password))
  if (!result.value) return { outcome: keyErrorOutcome(result.error), ms: result.ms }
  const { privateKey, publicKey } = result.value
  if (privateKey.extractable || privateKey.type !== 'private') throw new Error('the private key is extractable or not private')
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey))
  if (!same(spki, fixture.publicDer))
    throw new Error('a damaged key file loaded as a different key pair (its public key is not the original)')
  let opened: Uint8Array | undefined
  try {
    opened = new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, fixture.probe.sealed))
  } catch {
    opened = undefined
  }
  if (!opened || !same(opened, fixture.probe.secret))
    throw new Error('a damaged key file loaded as a private key that cannot open what is sealed to its public key')
  return { outcome: 'same-key', ms: result.ms }
}

function expectOutcome(outcome: Outcome, allowed: Outcome[]) {
  if (!allowed.includes(outcome)) throw new Error(`expected ${allowed.join(' or ')}, got ${outcome}`)
}

// ---------------------------------------------------------------------------------------------
// Byte edits of DER, biased toward headers (tags and lengths) where the parsers decide things.

const edit = fc.record({
  op: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate', 'append', 'header-tag', 'header-length', 'long-form', 'indefinite'),
  at: fc.oneof(fc.nat({ max: 64 }), fc.nat()),
  bit: fc.nat(7),
  byte: fc.nat(255),
  count: fc.integer({ min: 1, max: 8 }),
})
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never

function applyEdits(der: Uint8Array, edits: Edit[]): Uint8Array {
  let bytes = Array.from(der)
  for (const e of edits) {
    const headers: number[] = []
    try {
      parseDer(Uint8Array.from(bytes), headers)
    } catch {
      // An earlier edit broke the structure; header edits then fall back to plain offsets.
    }
    const header = headers.length ? headers[e.at % headers.length]! : e.at % Math.max(1, bytes.length)
    const i = e.at % Math.max(1, bytes.length)
    switch (e.op) {
      case 'flip':
        bytes[i]! ^= 1 << e.bit
        break
      case 'set':
        bytes[i] = e.byte
        break
      case 'insert':
        bytes.splice(i, 0, e.byte)
        break
      case 'delete':
        bytes.splice(i, e.count)
        break
      case 'truncate':
        bytes = bytes.slice(0, i)
        break
      case 'append':
        bytes.push(...detBytes(`append/${e.at}`, e.count))
        break
      case 'header-tag':
        bytes[header] = e.byte
        break
      case 'header-length':
        if (header + 1 < bytes.length) bytes[header + 1]! ^= 1 << e.bit
        break
      case 'long-form':
        // Same length, non-minimal long form (DER forbids it).
        if (header + 1 < bytes.length && bytes[header + 1]! < 0x80) bytes.splice(header + 1, 1, 0x82, 0, bytes[header + 1]!)
        break
      case 'indefinite':
        if (header + 1 < bytes.length) bytes[header + 1] = 0x80
        break
    }
  }
  return Uint8Array.from(bytes)
}

// ---------------------------------------------------------------------------------------------

describe('router public keys under fuzzing: KeyError, or the key a pin recognises', () => {
  it('the unmutated fixtures load and pass their pins', async () => {
    for (const f of PUBLIC) expect((await runPublic(f.pem, f)).outcome).toBe('same-key')
  })

  it('DER mutations (bit flips, bytes, tags, lengths, truncation, trailing data)', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const tally = new Tally('router public key DER mutations')
    const arb = fc.record({ fixture: fc.constantFrom(...PUBLIC), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) })
    await check(seed, RUNS, arb, async ({ fixture, edits }) => {
      const der = applyEdits(fixture.der, edits)
      const { outcome, ms } = await runPublic(armour(der, 'PUBLIC KEY'), fixture)
      // A different valid RSA key is still a key: the pin is what tells them apart (checked in runPublic).
      if (same(der, fixture.der)) expectOutcome(outcome, ['same-key'])
      tally.add(outcome, ms)
    })
    tally.report()
    expect(tally.cases).toBe(RUNS)
  })

  it('PEM text mutations (armour, labels, line breaks, headers, extra blocks, base64 garbage)', {
    timeout: TARGET_TIMEOUT_MS,
  }, async () => {
    const tally = new Tally('router public key PEM text mutations')
    const attacker = PUBLIC[1]!
    const kinds = [
      'crlf',
      'width',
      'no-final-newline',
      'indent',
      'surrounding-text',
      'header',
      'label',
      'end-label',
      'dashes',
      'one-line',
      'attacker-first',
      'attacker-second',
      'body-char',
      'body-delete',
      'empty-body',
      'not-a-string',
    ] as const
    const arb = fc.record({
      fixture: fc.constantFrom(PUBLIC[0]!),
      kind: fc.constantFrom(...kinds),
      width: fc.integer({ min: 1, max: 200 }),
      text: fc.string({ maxLength: 40 }),
      label: fc.constantFrom(
        'RSA PUBLIC KEY',
        'PRIVATE KEY',
        'CERTIFICATE',
        'public key',
        'PUBLIC  KEY',
        'PUBLIC KEY ',
        'ENCRYPTED PRIVATE KEY',
        'X',
      ),
      at: fc.nat(),
      ch: fc.constantFrom('!', '-', '_', '=', '.', '\u00e9', '\u0000', '*'),
      // (undefined is "no routerPublicKey": the client would fetch one instead)
      value: fc.constantFrom<unknown>(null, 42, {}, [], new Uint8Array(4)),
    })
    await check(seed, RUNS, arb, async (c) => {
      const { fixture } = c
      const pem = fixture.pem
      const [head, ...rest] = pem.trimEnd().split('\n')
      const body = rest.slice(0, -1)
      const foot = rest.at(-1)!
      const b64 = body.join('')
      const [input, allowed] = ((): [unknown, Outcome[]] => {
        switch (c.kind) {
          case 'crlf':
            return [pem.replace(/\n/g, '\r\n'), ['same-key']]
          case 'width':
            return [armour(fixture.der, 'PUBLIC KEY', c.width), ['same-key']]
          case 'no-final-newline':
            return [pem.trimEnd(), ['same-key']]
          case 'indent':
            return [[head, ...body.map((l) => `  \t${l} `), foot].join('\n'), ['same-key']]
          case 'surrounding-text':
            return [`${c.text.replace(/-----/g, '')}\n${pem}\n${c.text}`, ['same-key']]
          case 'header':
            return [[head, 'Proc-Type: 4,ENCRYPTED', 'Comment: x', ...body, foot].join('\n'), ['same-key', 'key-error']]
          case 'label':
            return [armour(fixture.der, c.label), ['key-error']]
          case 'end-label':
            return [[head, ...body, '-----END RSA PUBLIC KEY-----'].join('\n'), ['key-error']]
          case 'dashes':
            return [pem.replace('-----BEGIN', c.at % 2 ? '----BEGIN' : '------BEGIN'), c.at % 2 ? ['key-error'] : ['same-key', 'key-error']]
          case 'one-line':
            return [`${head}${b64}${foot}`, ['key-error']]
          case 'attacker-first':
            // Only the first block counts: the attacker's key, which the pin refuses.
            return [attacker.pem + pem, ['other-key']]
          case 'attacker-second':
            return [pem + attacker.pem, ['same-key']]
          case 'body-char': {
            const i = c.at % b64.length
            return [`${head}\n${b64.slice(0, i)}${c.ch}${b64.slice(i + 1)}\n${foot}\n`, ['key-error', 'other-key']]
          }
          case 'body-delete': {
            const i = c.at % b64.length
            return [`${head}\n${b64.slice(0, i)}${b64.slice(i + 1)}\n${foot}\n`, ['key-error']]
          }
          case 'empty-body':
            return [`${head}\n${foot}\n`, ['key-error']]
          case 'not-a-string':
            return [c.value, ['key-error']]
        }
      })()
      const { outcome, ms } = await runPublic(input, fixture)
      expectOutcome(outcome, allowed)
      tally.add(outcome, ms)
    })
    tally.report()
    expect(tally.cases).toBe(RUNS)
  })
})

describe('private key files under fuzzing: KeyError, or exactly the original key pair', () => {
  it('the unmutated fixtures load (the 3DES one is UnsupportedKeyError)', async () => {
    for (const f of [...PLAIN, ...ENCRYPTED])
      expect((await runPrivate(f.pem, f.password, f)).outcome).toBe(f.expect === 'ok' ? 'same-key' : 'unsupported')
  })

  it('a key file whose modulus was damaged is refused, not loaded as a broken pair', async () => {
    // Byte 40 of these PKCS#8 files lies inside the modulus n.
    for (const f of PLAIN.slice(0, 2)) {
      const der = f.der.slice()
      der[40]! ^= 0x10
      const error = await importPrivateKeyPem(armour(der, f.label)).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(KeyError)
    }
  })

  it('plain PKCS#8 and PKCS#1: DER mutations', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const tally = new Tally('plain private key DER mutations')
    const arb = fc.record({
      fixture: fc.constantFrom(...PLAIN),
      edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
      password: fc.constantFrom(undefined, PASSWORD, 'stale'),
    })
    await check(seed, RUNS, arb, async ({ fixture, edits, password }) => {
      const der = applyEdits(fixture.der, edits)
      const { outcome, ms } = await runPrivate(armour(der, fixture.label), password, fixture)
      if (same(der, fixture.der)) expectOutcome(outcome, ['same-key'])
      tally.add(outcome, ms)
    })
    tally.report()
    expect(tally.cases).toBe(RUNS)
  })

  it('encrypted PKCS#8: DER mutations and hostile PBES2 parameters, with right, wrong and no password', {
    timeout: TARGET_TIMEOUT_MS,
  }, async () => {
    const tally = new Tally('encrypted private key mutations')
    const RSADSI = '1.2.840.113549'
    const AES = '2.16.840.1.101.3.4.1'
    const SCHEMES = [`${RSADSI}.1.5.13`, `${RSADSI}.1.5.3`, `${RSADSI}.1.5.10`, `${RSADSI}.1.12.1.3`, '1.2.3.4', '2.999.1']
    const KDFS = [`${RSADSI}.1.5.12`, '1.3.6.1.4.1.11591.4.11', `${RSADSI}.2.9`, '1.2.3']
    const PRFS = [`${RSADSI}.2.7`, `${RSADSI}.2.8`, `${RSADSI}.2.9`, `${RSADSI}.2.10`, `${RSADSI}.2.11`, `${RSADSI}.2.13`, '1.2.3.4.5']
    const CIPHERS = [`${AES}.2`, `${AES}.22`, `${AES}.42`, `${AES}.6`, `${AES}.46`, `${RSADSI}.3.7`, '1.3.14.3.2.7', '1.2.3']
    // Counts that cost little to try, and counts the reader must refuse before deriving anything.
    // Counts between (up to the 10,000,000 cap) are the dedicated timing test below.
    const ITERATIONS = [
      0n,
      1n,
      2n,
      1000n,
      2047n,
      2048n,
      2049n,
      4096n,
      10_000_001n,
      2n ** 31n - 1n,
      2n ** 32n,
      2n ** 48n - 1n,
      2n ** 48n,
      2n ** 53n,
      2n ** 64n - 1n,
      10n ** 30n,
    ]
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('bytes' as const), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }),
      fc.record({
        kind: fc.constant('iterations' as const),
        value: fc.constantFrom(...ITERATIONS),
        encoding: fc.constantFrom('minimal', 'leading-zeros', 'negative', 'empty'),
      }),
      fc.record({ kind: fc.constant('salt' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
      fc.record({ kind: fc.constant('iv' as const), bytes: fc.uint8Array({ maxLength: 33 }) }),
      fc.record({ kind: fc.constant('key-length' as const), value: fc.nat({ max: 70 }) }),
      fc.record({
        kind: fc.constant('prf' as const),
        oid: fc.constantFrom(...PRFS, undefined),
        params: fc.constantFrom('null', 'none', 'octets'),
      }),
      fc.record({ kind: fc.constant('cipher' as const), oid: fc.constantFrom(...CIPHERS) }),
      fc.record({ kind: fc.constant('scheme' as const), oid: fc.constantFrom(...SCHEMES) }),
      fc.record({ kind: fc.constant('kdf' as const), oid: fc.constantFrom(...KDFS) }),
      fc.record({ kind: fc.constant('salt-source' as const) }),
      fc.record({ kind: fc.constant('data' as const), keep: fc.nat(), extra: fc.nat({ max: 40 }) }),
    )
    const password = fc.oneof(
      fc.constant(PASSWORD),
      fc.constant(PASSWORD),
      fc.constant(undefined),
      fc.constant(''),
      fc.string({ maxLength: 30 }),
    )
    const arb = fc.record({ fixture: fc.constantFrom(...ENCRYPTED), mutation, password })
    await check(seed, RUNS, arb, async ({ fixture, mutation: m, password: pw }) => {
      let der: Uint8Array
      if (m.kind === 'bytes') {
        der = applyEdits(fixture.der, m.edits)
      } else {
        const root = cloneTlv(parseDer(fixture.der)[0]!)
        const params = at(root, EPKI.kdfParams).children!
        switch (m.kind) {
          case 'iterations': {
            let value = integer(m.value)
            if (m.encoding === 'leading-zeros') value = Uint8Array.from([0, 0, ...value])
            if (m.encoding === 'negative') value = Uint8Array.from([0x80 | (value[0]! & 0x7f), ...value.subarray(1)])
            if (m.encoding === 'empty') value = new Uint8Array(0)
            params[1] = { tag: 0x02, value }
            break
          }
          case 'salt':
            params[0] = { tag: 0x04, value: m.bytes }
            break
          case 'iv':
            at(root, EPKI.iv).value = m.bytes
            break
          case 'key-length':
            params.splice(2, params[2]?.tag === 0x02 ? 1 : 0, { tag: 0x02, value: integer(BigInt(m.value)) })
            break
          case 'prf': {
            const prfAt = params.findIndex((p, i) => i >= 2 && p.tag === 0x30)
            const parameters: Tlv[] =
              m.params === 'null'
                ? [{ tag: 0x05, value: new Uint8Array(0) }]
                : m.params === 'octets'
                  ? [{ tag: 0x04, value: new Uint8Array(2) }]
                  : []
            const prf: Tlv | undefined = m.oid ? { tag: 0x30, children: [oid(m.oid), ...parameters] } : undefined
            if (prfAt >= 0) params.splice(prfAt, 1, ...(prf ? [prf] : []))
            else if (prf) params.push(prf)
            break
          }
          case 'cipher':
            at(root, EPKI.cipher).value = oid(m.oid).value!
            break
          case 'scheme':
            at(root, EPKI.scheme).value = oid(m.oid).value!
            break
          case 'kdf':
            at(root, EPKI.kdf).value = oid(m.oid).value!
            break
          case 'salt-source':
            params[0] = { tag: 0x30, children: [oid('1.2.840.113549.1.5.12'), { tag: 0x04, value: new Uint8Array(8) }] }
            break
          case 'data': {
            const data = at(root, EPKI.data)
            const kept = data.value!.subarray(0, m.keep % (data.value!.length + 1))
            data.value = Uint8Array.from([...kept, ...detBytes(`data/${m.extra}`, m.extra)])
            break
          }
        }
        der = encodeDer(root)
      }
      const { outcome, ms } = await runPrivate(armour(der, fixture.label), pw, fixture)
      if (same(der, fixture.der) && pw === PASSWORD) expectOutcome(outcome, [fixture.expect === 'ok' ? 'same-key' : 'unsupported'])
      if (m.kind === 'iterations' && m.value > 10_000_000n && m.encoding !== 'empty') {
        // Refused before any key derivation, whatever the password.
        expectOutcome(outcome, ['key-error', 'unsupported'])
        if (ms > 100) throw new Error(`a refused iteration count still took ${ms.toFixed(0)} ms`)
      }
      tally.add(outcome, ms)
    })
    tally.report()
    expect(tally.cases).toBe(RUNS)
  })

  it('PEM text mutations: labels, legacy encryption headers, armour, extra blocks', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const tally = new Tally('private key PEM text mutations')
    const LABELS = [
      'PRIVATE KEY',
      'RSA PRIVATE KEY',
      'ENCRYPTED PRIVATE KEY',
      'EC PRIVATE KEY',
      'DSA PRIVATE KEY',
      'OPENSSH PRIVATE KEY',
      'PUBLIC KEY',
      'CERTIFICATE',
      'private key',
      'X',
    ]
    const kinds = [
      'label',
      'crlf',
      'width',
      'indent',
      'surrounding-text',
      'legacy-header',
      'other-key-first',
      'truncated-armour',
      'not-a-string',
    ] as const
    const arb = fc.record({
      // Not openssl-aes256-sha256.pem: its 100,000 PBKDF2 iterations would cost 30 ms a case for nothing new here.
      fixture: fc.constantFrom(...PLAIN, ENCRYPTED[0]!, ENCRYPTED[2]!),
      kind: fc.constantFrom(...kinds),
      label: fc.constantFrom(...LABELS),
      width: fc.integer({ min: 1, max: 200 }),
      text: fc.string({ maxLength: 40 }),
      cut: fc.nat(),
      value: fc.constantFrom<unknown>(undefined, null, 42, {}, [], new Uint8Array(4)),
    })
    await check(seed, RUNS, arb, async (c) => {
      const f = c.fixture
      const [input, allowed] = ((): [unknown, Outcome[]] => {
        switch (c.kind) {
          case 'label':
            return [armour(f.der, c.label), c.label === f.label ? ['same-key'] : ['key-error', 'unsupported']]
          case 'crlf':
            return [f.pem.replace(/\n/g, '\r\n'), ['same-key']]
          case 'width':
            return [armour(f.der, f.label, c.width), ['same-key']]
          case 'indent':
            return [
              f.pem
                .split('\n')
                .map((l, i, all) => (i > 0 && i < all.length - 2 ? `\t ${l}  ` : l))
                .join('\n'),
              ['same-key'],
            ]
          case 'surrounding-text':
            return [`${c.text.replace(/-----/g, '')}\n${f.pem}\n${c.text}`, ['same-key']]
          case 'legacy-header':
            return [
              f.pem.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n'),
              f.label === 'RSA PRIVATE KEY' ? ['unsupported'] : ['same-key'],
            ]
          case 'other-key-first': {
            const other = PLAIN.find((p) => !same(p.publicDer, f.publicDer))!
            // Only the first block counts: another valid key, which runPrivate reports as not the original.
            return [other.pem + f.pem, ['other-key']]
          }
          case 'truncated-armour':
            return [f.pem.slice(0, c.cut % (f.pem.length - 1)), ['key-error']]
          case 'not-a-string':
            return [c.value, ['key-error']]
        }
      })()
      const outcome = await runPrivate(input, f.password, f).then(
        (r) => r,
        (error: unknown) => {
          if (c.kind === 'other-key-first' && /different key pair/.test((error as Error).message))
            return { outcome: 'other-key' as Outcome, ms: 0 }
          throw error
        },
      )
      expectOutcome(outcome.outcome, allowed)
      tally.add(outcome.outcome, outcome.ms)
    })
    tally.report()
    expect(tally.cases).toBe(RUNS)
  })
})

describe('hostile sizes and counts finish in time', () => {
  /** python-cryptography-enc.pem with its PBKDF2 iteration count and prf replaced. */
  function withIterations(iterations: bigint, prf: string): string {
    const f = ENCRYPTED[2]!
    const root = cloneTlv(parseDer(f.der)[0]!)
    const params = at(root, EPKI.kdfParams).children!
    params[1] = { tag: 0x02, value: integer(iterations) }
    params[2] = { tag: 0x30, children: [oid(prf), { tag: 0x05, value: new Uint8Array(0) }] }
    return armour(encodeDer(root), 'ENCRYPTED PRIVATE KEY')
  }

  it('no PBKDF2 iteration count a key file may ask for costs more than 2 s, for any hash', { timeout: 60_000 }, async () => {
    // Each count is either refused at once or derived within the bound. The slowest hash and the
    // largest count first, so a failure costs one derivation.
    for (const [hash, prf] of [
      ['SHA-512', '1.2.840.113549.2.11'],
      ['SHA-1', '1.2.840.113549.2.7'],
      ['SHA-384', '1.2.840.113549.2.10'],
      ['SHA-256', '1.2.840.113549.2.9'],
    ] as const) {
      for (const count of [10_000_000n, 5_000_000n, 3_000_000n, 2_000_000n, 1_000_000n]) {
        const started = performance.now()
        const error = await importPrivateKeyPem(withIterations(count, prf), PASSWORD).then(
          () => undefined,
          (e: unknown) => e,
        )
        const ms = performance.now() - started
        expect(error, `${hash}, ${count} iterations`).toBeInstanceOf(KeyError)
        expect(ms, `${hash}: ${count} iterations took ${ms.toFixed(0)} ms`).toBeLessThan(CASE_LIMIT_MS)
      }
    }
  })

  it('counts above the cap are refused before any derivation', async () => {
    for (const count of [10_000_001n, 2n ** 32n, 2n ** 48n - 1n, 2n ** 48n, 2n ** 63n]) {
      const started = performance.now()
      await expect(importPrivateKeyPem(withIterations(count, '1.2.840.113549.2.11'), PASSWORD)).rejects.toThrow(KeyError)
      expect(performance.now() - started).toBeLessThan(100)
    }
  })

  it('a PEM made of thousands of BEGIN lines is refused in linear time', { timeout: 60_000 }, async () => {
    // 256 KiB of "-----BEGIN A-----" lines and no END: a key file or secret gone wrong.
    const text = '-----BEGIN A-----\n'.repeat(Math.ceil((256 * 1024) / 18))
    for (const load of [() => importPrivateKeyPem(text), () => importPublicKeyPem(text)]) {
      const started = performance.now()
      await expect(load()).rejects.toThrow(KeyError)
      expect(performance.now() - started).toBeLessThan(500)
    }
  })

  it('a router serving 64 KiB of BEGIN lines as its key is refused quickly (the key fetch reads at most 64 KiB)', async () => {
    const text = '-----BEGIN A-----\n'.repeat(Math.ceil((64 * 1024) / 18)).slice(0, 64 * 1024)
    const server = createServer((_, res) => res.end(text))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as { port: number }
      const client = new SecureCompletionClient({ routerUrl: `http://127.0.0.1:${port}`, allowHttp: true, maxRetries: 0 })
      const started = performance.now()
      await expect(client.fetchServerPublicKey()).rejects.toThrow(KeyError)
      expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
