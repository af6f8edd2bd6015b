/**
 * Fuzzing `decryptResponse`: valid answer packages sealed to the fixture client key (RSA-2048), then
 * mutated — bit flips, truncation, missing, repeated and retyped fields, base64 garbage, wrong
 * lengths, huge and deeply nested JSON, bytes that are not UTF-8, and hostile plaintexts sealed by
 * someone who knows the client's public key. Every case must end in a `SecurityError` (one fixed
 * message, no cause) or a `ProtocolError`, or — when the mutation changed nothing that matters — in
 * exactly the answer that was sealed. Never another exception, never a hang, never a partial or
 * different answer.
 *
 * `FUZZ_RUNS` changes the number of cases per target (default 10,000); `FC_SEED` replays a run.
 */
import { isDeepStrictEqual } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ProtocolError, SecureCompletionClient, SecurityError } from '../../src/runtime/node.js'
import { DECRYPTION_FAILED } from '../../src/errors.js'
import { clientPem, clientPublicPem } from '../helpers/keys.js'
import {
  CASE_LIMIT_MS,
  HangError,
  Tally,
  b64,
  check,
  detBytes,
  fuzzSeed,
  oaepEncrypt,
  publicKeyOf,
  sealPackage,
  unb64,
  within,
  type WirePackage,
} from './support.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
const TARGET_TIMEOUT_MS = 180_000
const seed = fuzzSeed('fuzz-package')
const clientPublic = publicKeyOf(clientPublicPem)
const PAYLOAD_ID = 'fuzz-payload-id'
const PROCESSED_AT = 1764000000.25
const encoder = new TextEncoder()

let client: SecureCompletionClient
beforeAll(async () => {
  client = new SecureCompletionClient({ routerUrl: 'http://127.0.0.1:9', allowHttp: true })
  await client.loadKeys(clientPem)
})

// ---------------------------------------------------------------------------------------------
// The pool of valid answers.

const completion = (content: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-fuzz',
  object: 'chat.completion',
  created: 1764000000,
  model: 'fuzz-model',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
  ...extra,
})

const ANSWERS: unknown[] = [
  completion('The capital of France is Paris.'),
  completion(''),
  completion('Grüße, 你好, 🔐 "quotes" \\ back\nslash \u2028 \u0000'),
  completion('x'.repeat(3000)),
  completion(null, {
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
  }),
  { choices: [] },
  completion('three', {
    choices: [0, 1, 2].map((index) => ({ index, message: { role: 'assistant', content: `choice ${index}` }, finish_reason: 'stop' })),
  }),
  completion('a'),
  // Big enough (27 KB of base64) for the parser's fast path for large ciphertexts.
  completion('z'.repeat(20_000)),
]

interface Base {
  index: number
  pkg: WirePackage
  text: string
  answer: unknown
}

const POOL: Base[] = ANSWERS.map((answer, index) => {
  const pkg = sealPackage(clientPublic, encoder.encode(JSON.stringify(answer)), `pool/${index}`)
  // Counterexamples print a pool entry by its index, not its bytes.
  return { index, pkg, text: JSON.stringify(pkg), answer, [fc.toStringMethod]: () => `POOL[${index}]` }
})
const baseArb = fc.nat({ max: POOL.length - 1 }).map((i) => POOL[i]!)

// ---------------------------------------------------------------------------------------------
// A package as ordered entries, so a key can appear twice and a value can be raw JSON text.

const PAYLOAD = Symbol('encrypted_payload entries')
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
interface Raw {
  raw: string
}
type Value = Json | Raw | typeof PAYLOAD
interface Model {
  top: Array<[string, Value]>
  payload: Array<[string, Value]>
}

const isRaw = (v: Value): v is Raw =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Raw).raw === 'string' && Object.keys(v).length === 1

function modelOf(pkg: WirePackage): Model {
  return {
    top: [
      ['version', pkg.version],
      ['algorithm', pkg.algorithm],
      ['encrypted_payload', PAYLOAD],
      ['encrypted_aes_key', pkg.encrypted_aes_key],
      ['key_algorithm', pkg.key_algorithm],
      ['payload_algorithm', pkg.payload_algorithm],
      ['processed_at', pkg.processed_at],
    ],
    payload: [
      ['ciphertext', pkg.encrypted_payload.ciphertext],
      ['nonce', pkg.encrypted_payload.nonce],
      ['tag', pkg.encrypted_payload.tag],
    ],
  }
}

function render(model: Model): string {
  const value = (v: Value): string => (v === PAYLOAD ? object(model.payload) : isRaw(v) ? v.raw : JSON.stringify(v))
  const object = (entries: Array<[string, Value]>) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${value(v)}`).join(',')}}`
  return object(model.top)
}

const B64_FIELDS = ['payload.ciphertext', 'payload.nonce', 'payload.tag', 'encrypted_aes_key'] as const
const REQUIRED = [
  'version',
  'algorithm',
  'encrypted_payload',
  'encrypted_aes_key',
  'payload.ciphertext',
  'payload.nonce',
  'payload.tag',
] as const
const OPTIONAL = ['key_algorithm', 'payload_algorithm', 'processed_at'] as const
const ALL_FIELDS = [...REQUIRED, ...OPTIONAL] as const
type Field = (typeof ALL_FIELDS)[number]
const KNOWN_KEYS = new Set([
  'version',
  'algorithm',
  'encrypted_payload',
  'encrypted_aes_key',
  'key_algorithm',
  'payload_algorithm',
  'processed_at',
  'ciphertext',
  'nonce',
  'tag',
])

function locate(model: Model, field: Field): [Array<[string, Value]>, string] {
  return field.startsWith('payload.') ? [model.payload, field.slice('payload.'.length)] : [model.top, field]
}
const clone = (m: Model): Model => ({ top: m.top.map(([k, v]) => [k, v]), payload: m.payload.map(([k, v]) => [k, v]) })
function get(model: Model, field: Field): Value {
  const [entries, key] = locate(model, field)
  return entries.find(([k]) => k === key)![1]
}
function set(model: Model, field: Field, value: Value): Model {
  const m = clone(model)
  const [entries, key] = locate(m, field)
  for (const entry of entries) if (entry[0] === key) entry[1] = value
  return m
}
function remove(model: Model, field: Field): Model {
  const m = clone(model)
  const [entries, key] = locate(m, field)
  entries.splice(
    entries.findIndex(([k]) => k === key),
    1,
  )
  return m
}
function duplicate(model: Model, field: Field, shadow: Value, shadowFirst: boolean): Model {
  const m = clone(model)
  const [entries, key] = locate(m, field)
  const at = entries.findIndex(([k]) => k === key)
  entries.splice(shadowFirst ? at : at + 1, 0, [key, shadow])
  return m
}
function addExtra(model: Model, inPayload: boolean, key: string, value: Value, position: number): Model {
  const m = clone(model)
  const entries = inPayload ? m.payload : m.top
  entries.splice(position % (entries.length + 1), 0, [key, value])
  return m
}
const textOf = (model: Model, field: Field) => get(model, field) as string

// ---------------------------------------------------------------------------------------------
// The oracle.

/** What a case may end in. `any`: a typed error or exactly the sealed answer. */
type Expect = 'ok' | 'security' | 'protocol' | 'error' | 'any'
type Form = 'bytes' | 'string' | 'buffer' | 'view'
const formArb = fc.constantFrom<Form>('bytes', 'string', 'buffer', 'view')
const byteFormArb = fc.constantFrom<Form>('bytes', 'buffer', 'view')

function asInput(data: string | Uint8Array, form: Form): Uint8Array | ArrayBuffer | string {
  if (form === 'string') {
    if (typeof data !== 'string') throw new TypeError('string form needs text')
    return data
  }
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  if (form === 'bytes') return bytes
  if (form === 'buffer') return bytes.slice().buffer
  // A view into a larger buffer whose other bytes are not UTF-8: reading past the view would fail.
  const backing = new Uint8Array(bytes.length + 16).fill(0xff)
  backing.set(bytes, 8)
  return backing.subarray(8, 8 + bytes.length)
}

interface Case {
  input: Uint8Array | ArrayBuffer | string
  expect: Expect
  answer: unknown
  /** The `_metadata.processed_at` a success must carry; `undefined` skips the check. */
  processedAt?: unknown
  /** Longest the case may take; default {@link CASE_LIMIT_MS}. */
  limitMs?: number
}

/** Runs one case and returns its outcome, or throws what the property reports. */
async function run(c: Case): Promise<string> {
  const started = performance.now()
  let answer: Awaited<ReturnType<SecureCompletionClient['decryptResponse']>> | undefined
  let error: unknown
  try {
    answer = await within(client.decryptResponse(c.input, PAYLOAD_ID), c.limitMs)
  } catch (caught) {
    if (caught instanceof HangError) throw caught
    error = caught
  }
  const ms = performance.now() - started
  if (ms > (c.limitMs ?? CASE_LIMIT_MS)) throw new HangError(`case took ${ms.toFixed(0)} ms`)
  let outcome: string
  if (answer) {
    const { _metadata, ...rest } = answer
    if (!isDeepStrictEqual(rest, c.answer)) throw new Error('decryptResponse returned something other than the sealed answer')
    if (
      _metadata.payload_id !== PAYLOAD_ID ||
      _metadata.is_encrypted !== true ||
      _metadata.encryption_algorithm !== 'hybrid-aes256-rsa4096'
    ) {
      throw new Error('decryptResponse returned wrong _metadata')
    }
    if (c.processedAt !== undefined && !isDeepStrictEqual(_metadata.processed_at, c.processedAt))
      throw new Error('wrong _metadata.processed_at')
    outcome = 'ok'
  } else if (error instanceof SecurityError) {
    if (error.message !== DECRYPTION_FAILED || error.cause !== undefined)
      throw new Error(`SecurityError with a revealing message or cause: ${error.message}`)
    outcome = 'security'
  } else if (error instanceof ProtocolError) {
    outcome = 'protocol'
  } else {
    throw new Error(`untyped exception: ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`)
  }
  const allowed = c.expect === 'any' || c.expect === outcome || (c.expect === 'error' && (outcome === 'security' || outcome === 'protocol'))
  if (!allowed) throw new Error(`expected ${c.expect}, got ${outcome}`)
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted')
  return outcome
}

async function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, makeCase: (value: T) => Case): Promise<Tally> {
  const tally = new Tally(name)
  await check(seed, RUNS, arbitrary, async (value) => {
    const c = makeCase(value)
    const started = performance.now()
    tally.add(await run(c), performance.now() - started)
  })
  tally.report()
  return tally
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])
const ok = (base: Base, input: Case['input']): Case => ({ input, expect: 'ok', answer: base.answer, processedAt: PROCESSED_AT })
const caseOf = (base: Base, model: Model, form: Form, expect: Expect, processedAt: unknown = PROCESSED_AT): Case => ({
  input: asInput(render(model), form),
  expect,
  answer: base.answer,
  processedAt: expect === 'any' ? undefined : processedAt,
})

// ---------------------------------------------------------------------------------------------

describe('decryptResponse under fuzzing: a typed error or exactly the sealed answer', () => {
  it('the unmutated pool opens in every input form', async () => {
    for (const base of POOL)
      for (const form of ['bytes', 'string', 'buffer', 'view'] as const) expect(await run(ok(base, asInput(base.text, form)))).toBe('ok')
  })

  it('bit flips in the decoded bytes of each base64 field → SecurityError', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const arb = fc.record({
      base: baseArb,
      field: fc.constantFrom(...B64_FIELDS),
      flips: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      form: formArb,
    })
    const tally = await fuzz('bit flips in decoded fields', arb, ({ base, field, flips, form }) => {
      const model = modelOf(base.pkg)
      const original = unb64(textOf(model, field))
      const flipped = original.slice()
      for (const f of flips) {
        const bit = f % (flipped.length * 8)
        flipped[bit >> 3]! ^= 1 << (bit & 7)
      }
      return caseOf(base, set(model, field, b64(flipped)), form, sameBytes(flipped, original) ? 'ok' : 'security')
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('byte edits anywhere in the JSON text (flip, overwrite, insert, delete)', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('flip', 'set', 'insert', 'delete'), bit: fc.nat(7), byte: fc.nat(255) })
    const arb = fc.record({ base: baseArb, edits: fc.array(edit, { minLength: 1, maxLength: 3 }), form: byteFormArb })
    const tally = await fuzz('byte edits in the JSON text', arb, ({ base, edits, form }) => {
      const original = encoder.encode(base.text)
      const bytes = Array.from(original)
      for (const { at, op, bit, byte } of edits) {
        const i = at % bytes.length
        if (op === 'flip') bytes[i]! ^= 1 << bit
        else if (op === 'set') bytes[i] = byte
        else if (op === 'insert') bytes.splice(i, 0, byte)
        else if (bytes.length > 1) bytes.splice(i, 1)
      }
      const mutated = Uint8Array.from(bytes)
      return { input: asInput(mutated, form), expect: sameBytes(mutated, original) ? 'ok' : 'any', answer: base.answer }
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('truncation of the JSON text and of each field', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const arb = fc.oneof(
      fc.record({ kind: fc.constant('text-prefix' as const), base: baseArb, n: fc.nat(), form: formArb }),
      fc.record({ kind: fc.constant('text-suffix' as const), base: baseArb, n: fc.nat(), form: formArb }),
      fc.record({
        kind: fc.constant('field-chars' as const),
        base: baseArb,
        field: fc.constantFrom(...B64_FIELDS),
        n: fc.nat(),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('field-bytes' as const),
        base: baseArb,
        field: fc.constantFrom(...B64_FIELDS),
        n: fc.nat(),
        fromStart: fc.boolean(),
        form: formArb,
      }),
    )
    const tally = await fuzz('truncation', arb, (c) => {
      const { base, form } = c
      if (c.kind === 'text-prefix')
        return { input: asInput(base.text.slice(0, c.n % base.text.length), form), expect: 'protocol', answer: base.answer }
      if (c.kind === 'text-suffix')
        return { input: asInput(base.text.slice(1 + (c.n % (base.text.length - 1))), form), expect: 'protocol', answer: base.answer }
      const model = modelOf(base.pkg)
      const text = textOf(model, c.field)
      const short = c.field === 'payload.nonce' || c.field === 'payload.tag'
      if (c.kind === 'field-chars') {
        const keep = c.n % text.length
        return caseOf(base, set(model, c.field, text.slice(0, keep)), form, keep % 4 !== 0 || short ? 'protocol' : 'security')
      }
      const bytes = unb64(text)
      const cut = 1 + (c.n % bytes.length)
      const kept = c.fromStart ? bytes.subarray(cut) : bytes.subarray(0, bytes.length - cut)
      return caseOf(base, set(model, c.field, b64(kept)), form, short ? 'protocol' : 'security')
    })
    expect(tally.cases).toBe(RUNS)
  })

  /** Extra members that mention "ciphertext" or hold long quote-free runs; none changes the package. */
  const DECOYS: Array<[string, Value]> = [
    ['ciphertext', 'QUFB'],
    ['ciphertext', { raw: `"${'A'.repeat(6000)}"` }],
    ['x', { raw: '{"ciphertext":"QUFB"}' }],
    ['x', '"ciphertext":"QUFB'],
    ['x', '","ciphertext":"'],
    ['x', 'A'.repeat(6000)],
    ['x', { raw: `["${'B'.repeat(5000)}","${'C'.repeat(5000)}"]` }],
    ['x', { raw: `{"encrypted_payload":{"ciphertext":"${'D'.repeat(5000)}"}}` }],
    ['x"ciphertext', 'y'],
  ]

  it('missing, repeated (duplicate JSON keys) and retyped fields', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const notString = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    ) as fc.Arbitrary<Json>
    const extraKey = fc
      .oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom(
          '__proto__',
          'constructor',
          'prototype',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'then',
          '_metadata',
          'Version',
          'nonce ',
          '',
        ),
      )
      .filter((k) => !KNOWN_KEYS.has(k))
    const arb = fc.oneof(
      fc.record({ kind: fc.constant('remove' as const), base: baseArb, field: fc.constantFrom(...ALL_FIELDS), form: formArb }),
      fc.record({
        kind: fc.constant('duplicate' as const),
        base: baseArb,
        field: fc.constantFrom(...ALL_FIELDS),
        shadow: fc.oneof(
          fc.constant('same' as const),
          fc.constant('other-package' as const),
          fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
        ),
        other: baseArb,
        shadowFirst: fc.boolean(),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('retype' as const),
        base: baseArb,
        field: fc.constantFrom(...ALL_FIELDS),
        value: notString,
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('retype-literal' as const),
        base: baseArb,
        field: fc.constantFrom('version', 'algorithm', 'key_algorithm', 'payload_algorithm'),
        value: fc.string({ maxLength: 24 }),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('top-level' as const),
        base: baseArb,
        wrap: fc.constantFrom('array', 'string', 'number', 'null', 'true', 'empty-object', 'empty', 'two-packages'),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('extra' as const),
        base: baseArb,
        inPayload: fc.boolean(),
        key: extraKey,
        value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
        position: fc.nat(),
        form: formArb,
      }),
      // Same package, other spellings: member order, whitespace, escaped key names, and decoys that
      // look like the ciphertext member to a parser that takes shortcuts.
      fc.record({
        kind: fc.constant('reorder' as const),
        base: baseArb,
        top: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7 }),
        payload: fc.shuffledSubarray([0, 1, 2], { minLength: 3 }),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('spelling' as const),
        base: baseArb,
        spelling: fc.constantFrom(
          '"ciphertext" :',
          '"ciphertext":\n ',
          '"ciphertex\\u0074":',
          '"\\u0063iphertext":',
          ' "ciphertext"\t:\r\n',
        ),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('decoy' as const),
        base: baseArb,
        decoy: fc.nat(DECOYS.length - 1),
        inPayload: fc.boolean(),
        position: fc.nat(),
        form: formArb,
      }),
    )
    const tally = await fuzz('missing, duplicate and retyped fields', arb, (c) => {
      const { base, form } = c
      const model = modelOf(base.pkg)
      switch (c.kind) {
        case 'remove':
          return caseOf(
            base,
            remove(model, c.field),
            form,
            (REQUIRED as readonly string[]).includes(c.field) ? 'protocol' : 'ok',
            c.field === 'processed_at' ? null : PROCESSED_AT,
          )
        case 'duplicate': {
          const original = get(model, c.field)
          const fromOther =
            c.field === 'encrypted_payload' ? { raw: JSON.stringify(c.other.pkg.encrypted_payload) } : get(modelOf(c.other.pkg), c.field)
          const shadow: Value = c.shadow === 'same' ? original : c.shadow === 'other-package' ? fromOther : c.shadow
          // JSON.parse keeps the last of repeated keys, as Python's json does.
          const effective = c.shadowFirst ? original : shadow
          const render1 = (v: Value) => render({ top: [['x', v]], payload: model.payload })
          const unchanged = render1(effective) === render1(original)
          if (unchanged) return caseOf(base, duplicate(model, c.field, shadow, c.shadowFirst), form, 'ok')
          if (c.field === 'processed_at')
            return caseOf(
              base,
              duplicate(model, c.field, shadow, c.shadowFirst),
              form,
              'ok',
              effective === PAYLOAD ? undefined : JSON.parse(render1(effective)).x,
            )
          return caseOf(base, duplicate(model, c.field, shadow, c.shadowFirst), form, 'error')
        }
        case 'retype':
          if (c.field === 'processed_at') return caseOf(base, set(model, c.field, c.value), form, 'ok', JSON.parse(JSON.stringify(c.value)))
          return caseOf(base, set(model, c.field, c.value), form, 'protocol')
        case 'retype-literal':
          return caseOf(base, set(model, c.field, c.value), form, get(model, c.field) === c.value ? 'ok' : 'protocol')
        case 'top-level': {
          const text = {
            array: `[${base.text}]`,
            string: JSON.stringify(base.text),
            number: '1.0',
            null: 'null',
            true: 'true',
            'empty-object': '{}',
            empty: '',
            'two-packages': `${base.text}${base.text}`,
          }[c.wrap]
          return { input: asInput(text, form), expect: 'protocol', answer: base.answer }
        }
        case 'extra':
          return caseOf(base, addExtra(model, c.inPayload, c.key, c.value, c.position), form, 'ok')
        case 'reorder':
          return caseOf(base, { top: c.top.map((i) => model.top[i]!), payload: c.payload.map((i) => model.payload[i]!) }, form, 'ok')
        case 'spelling':
          return {
            input: asInput(render(model).replace('"ciphertext":', c.spelling), form),
            expect: 'ok',
            answer: base.answer,
            processedAt: PROCESSED_AT,
          }
        case 'decoy': {
          const [key, value] = DECOYS[c.decoy]!
          return caseOf(base, addExtra(model, c.inPayload && key !== 'ciphertext', key, value, c.position), form, 'ok')
        }
      }
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('base64 garbage: other alphabets, padding, whitespace, line breaks, look-alikes', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const NOT_BASE64 = [
      ' ',
      '\n',
      '\r',
      '\t',
      '-',
      '_',
      '.',
      '!',
      '~',
      '%',
      '\\',
      '"',
      '\u0000',
      'é',
      '€',
      '\u00a0',
      '\u200b',
      '\ufeff',
      '＝',
      'Ａ',
      '１',
      '🔐',
      '\ud800',
    ]
    const ops = [
      'insert',
      'replace',
      'strip-padding',
      'extra-padding',
      'url-safe',
      'url-safe-unpadded',
      'line-breaks',
      'surrounding-space',
      'equals-inside',
      'swap-case',
      'non-canonical',
      'percent-encode',
      'json-escapes',
    ] as const
    const arb = fc.record({
      base: baseArb,
      field: fc.constantFrom(...B64_FIELDS),
      op: fc.constantFrom(...ops),
      at: fc.nat(),
      ch: fc.constantFrom(...NOT_BASE64),
      width: fc.constantFrom(4, 64, 76),
      padding: fc.constantFrom('=', '==', '===', '===='),
      form: formArb,
    })
    const tally = await fuzz('base64 garbage', arb, ({ base, field, op, at, ch, width, padding, form }) => {
      const model = modelOf(base.pkg)
      const text = textOf(model, field)
      const i = at % text.length
      const changed = (t: string): Expect => (t === text ? 'ok' : 'protocol')
      const with_ = (t: string | Raw, expect: Expect) => caseOf(base, set(model, field, t), form, expect)
      switch (op) {
        case 'insert':
          return with_(text.slice(0, i) + ch + text.slice(i), 'protocol')
        case 'replace':
          return with_(text.slice(0, i) + ch + text.slice(i + 1), 'protocol')
        case 'strip-padding': {
          const t = text.replace(/=+$/, '')
          return with_(t, changed(t))
        }
        case 'extra-padding':
          return with_(text + padding, 'protocol')
        case 'url-safe': {
          const t = text.replace(/\+/g, '-').replace(/\//g, '_')
          return with_(t, changed(t))
        }
        case 'url-safe-unpadded': {
          const t = text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
          return with_(t, changed(t))
        }
        case 'line-breaks': {
          const t = text.replace(new RegExp(`(.{${width}})(?=.)`, 'g'), '$1\n')
          return with_(t, changed(t))
        }
        case 'surrounding-space':
          return with_(`${ch === '\n' ? ' ' : '\n'}${text}`, 'protocol')
        case 'equals-inside':
          // Can leave valid base64 of other bytes ("QUJD" → "QUJ="): then authentication fails.
          return with_(text.slice(0, i) + '=' + text.slice(i + 1), text[i] === '=' ? 'ok' : 'error')
        case 'swap-case': {
          const t = [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')
          // Other bytes (authentication fails), or a spelling with spare pad bits set (refused as base64).
          return with_(t, t === text ? 'ok' : 'error')
        }
        case 'non-canonical': {
          // Sets the unused low bits of the last character before the padding: the same bytes in a
          // non-canonical spelling, which the strict decoder refuses (issue #12, finding 8).
          const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
          if (pad === 0) return with_(text, 'ok')
          const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
          const last = text.length - pad - 1
          const value = ALPHABET.indexOf(text[last]!) | (pad === 2 ? 1 + (at % 15) : 1 + (at % 3))
          return with_(text.slice(0, last) + ALPHABET[value & 63] + text.slice(last + 1), 'protocol')
        }
        case 'percent-encode': {
          const t = text.replace(/[+/=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
          return with_(t, changed(t))
        }
        case 'json-escapes':
          // The same string spelled with \u escapes in the JSON text: the value is unchanged.
          return with_(
            {
              raw: `"${[...text].map((c, k) => (k % 3 === at % 3 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"`,
            },
            'ok',
          )
      }
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('wrong nonce, tag and key lengths, including well-formed GCM and OAEP of the wrong size', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const arb = fc.oneof(
      fc.record({ kind: fc.constant('nonce' as const), base: baseArb, bytes: fc.uint8Array({ maxLength: 64 }), form: formArb }),
      fc.record({
        kind: fc.constant('nonce12' as const),
        base: baseArb,
        bytes: fc.uint8Array({ minLength: 12, maxLength: 12 }),
        form: formArb,
      }),
      fc.record({ kind: fc.constant('tag' as const), base: baseArb, bytes: fc.uint8Array({ maxLength: 64 }), form: formArb }),
      fc.record({
        kind: fc.constant('key' as const),
        base: baseArb,
        bytes: fc.oneof(fc.uint8Array({ maxLength: 1024 }), fc.uint8Array({ minLength: 256, maxLength: 256 })),
        form: formArb,
      }),
      fc.record({ kind: fc.constant('ciphertext' as const), base: baseArb, bytes: fc.uint8Array({ maxLength: 4096 }), form: formArb }),
      fc.record({
        kind: fc.constant('aes-key-size' as const),
        base: baseArb,
        keyBytes: fc.constantFrom(16, 24),
        n: fc.nat(),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('wrapped-length' as const),
        base: baseArb,
        length: fc.nat({ max: 190 }).filter((n) => n !== 32),
        n: fc.nat(),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('gcm-nonce' as const),
        base: baseArb,
        nonceBytes: fc.integer({ min: 1, max: 64 }).filter((n) => n !== 12),
        n: fc.nat(),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('gcm-tag' as const),
        base: baseArb,
        tagBytes: fc.constantFrom(4, 8, 12, 13, 14, 15),
        n: fc.nat(),
        form: formArb,
      }),
    )
    const tally = await fuzz('wrong lengths', arb, (c) => {
      const { base, form } = c
      const model = modelOf(base.pkg)
      const plaintext = encoder.encode(JSON.stringify(base.answer))
      const label = `${c.kind}/${base.index}/${'n' in c ? c.n : 0}`
      switch (c.kind) {
        case 'nonce':
          return caseOf(base, set(model, 'payload.nonce', b64(c.bytes)), form, c.bytes.length === 12 ? 'security' : 'protocol')
        case 'nonce12':
          return caseOf(
            base,
            set(model, 'payload.nonce', b64(c.bytes)),
            form,
            sameBytes(c.bytes, unb64(base.pkg.encrypted_payload.nonce)) ? 'ok' : 'security',
          )
        case 'tag':
          return caseOf(base, set(model, 'payload.tag', b64(c.bytes)), form, c.bytes.length === 16 ? 'security' : 'protocol')
        case 'key':
          return caseOf(base, set(model, 'encrypted_aes_key', b64(c.bytes)), form, 'security')
        case 'ciphertext':
          return caseOf(base, set(model, 'payload.ciphertext', b64(c.bytes)), form, 'security')
        case 'aes-key-size':
          // Authentic AES-128/192-GCM: only AES-256 is the protocol.
          return caseOf(base, modelOf(sealPackage(clientPublic, plaintext, label, { keyBytes: c.keyBytes })), form, 'security')
        case 'wrapped-length':
          return caseOf(
            base,
            set(model, 'encrypted_aes_key', b64(oaepEncrypt(clientPublic, detBytes(label, c.length), label))),
            form,
            'security',
          )
        case 'gcm-nonce':
          // GCM takes any nonce length, and this one authenticates: the protocol's 12 bytes are enforced anyway.
          return caseOf(base, modelOf(sealPackage(clientPublic, plaintext, label, { nonceBytes: c.nonceBytes })), form, 'protocol')
        case 'gcm-tag':
          return caseOf(base, modelOf(sealPackage(clientPublic, plaintext, label, { tagBytes: c.tagBytes })), form, 'protocol')
      }
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('huge and deeply nested JSON', { timeout: TARGET_TIMEOUT_MS }, async () => {
    // Sizes spread over orders of magnitude: most cases small, some up to 2^16 levels or 512 KiB
    // (the extremes, a million levels and 12 MiB, are the test after this one).
    const magnitude = (maxExponent: number) =>
      fc.integer({ min: 0, max: maxExponent }).chain((e) => fc.integer({ min: 2 ** e, max: 2 ** (e + 1) - 1 }))
    const JUNK = detBytes('junk', 2 ** 19)
    const nested = (depth: number, open: string) => open.repeat(depth) + '0' + (open === '[' ? ']' : '}').repeat(depth)
    const opener = fc.constantFrom('[', '{"a":')
    const arb = fc.oneof(
      fc.record({
        kind: fc.constant('deep-extra' as const),
        base: baseArb,
        depth: magnitude(15),
        open: opener,
        inPayload: fc.boolean(),
        form: formArb,
      }),
      fc.record({
        kind: fc.constant('deep-field' as const),
        base: baseArb,
        field: fc.constantFrom(...ALL_FIELDS.filter((f) => f !== 'processed_at')),
        depth: magnitude(15),
        open: opener,
        form: formArb,
      }),
      fc.record({ kind: fc.constant('deep-processed-at' as const), base: baseArb, depth: magnitude(15), open: opener, form: formArb }),
      fc.record({ kind: fc.constant('deep-whole' as const), base: baseArb, depth: magnitude(15), open: opener, form: formArb }),
      fc.record({ kind: fc.constant('unbalanced' as const), base: baseArb, depth: magnitude(15), open: opener, form: formArb }),
      fc.record({
        kind: fc.constant('long-field' as const),
        base: baseArb,
        field: fc.constantFrom(...B64_FIELDS),
        size: magnitude(18),
        form: formArb,
      }),
      fc.record({ kind: fc.constant('long-extra' as const), base: baseArb, size: magnitude(18), form: formArb }),
      fc.record({ kind: fc.constant('many-keys' as const), base: baseArb, count: magnitude(12), form: formArb }),
      fc.record({ kind: fc.constant('big-array' as const), base: baseArb, count: magnitude(15), form: formArb }),
      fc.record({ kind: fc.constant('whitespace' as const), base: baseArb, size: magnitude(16), form: formArb }),
      fc.record({ kind: fc.constant('long-number' as const), base: baseArb, digits: magnitude(13), form: formArb }),
    )
    const tally = await fuzz('huge and nested JSON', arb, (c) => {
      const { base, form } = c
      const model = modelOf(base.pkg)
      switch (c.kind) {
        case 'deep-extra':
          return caseOf(base, addExtra(model, c.inPayload, 'deep', { raw: nested(c.depth, c.open) }, 3), form, 'ok')
        case 'deep-field':
          return caseOf(base, set(model, c.field, { raw: nested(c.depth, c.open) }), form, 'protocol')
        case 'deep-processed-at':
          // processed_at is the router's unauthenticated timestamp, passed through as it came.
          return { ...caseOf(base, set(model, 'processed_at', { raw: nested(c.depth, c.open) }), form, 'ok'), processedAt: undefined }
        case 'deep-whole':
          return { input: asInput(nested(c.depth, c.open), form), expect: 'protocol', answer: base.answer }
        case 'unbalanced':
          return { input: asInput(c.open.repeat(c.depth), form), expect: 'protocol', answer: base.answer }
        case 'long-field': {
          const short = c.field === 'payload.nonce' || c.field === 'payload.tag'
          const right = c.field === 'payload.nonce' ? 12 : 16
          return caseOf(base, set(model, c.field, b64(JUNK.subarray(0, c.size))), form, short && c.size !== right ? 'protocol' : 'security')
        }
        case 'long-extra':
          return caseOf(base, addExtra(model, false, 'padding', b64(JUNK.subarray(0, c.size)), 0), form, 'ok')
        case 'many-keys':
          return caseOf(
            base,
            addExtra(model, false, 'keys', { raw: `{${Array.from({ length: c.count }, (_, k) => `"k${k}":${k}`).join(',')}}` }, 7),
            form,
            'ok',
          )
        case 'big-array':
          return caseOf(base, addExtra(model, true, 'list', { raw: `[${'0,'.repeat(c.count)}0]` }, 1), form, 'ok')
        case 'whitespace': {
          const ws = ' \n\r\t'.repeat(Math.ceil(c.size / 4)).slice(0, c.size)
          return {
            input: asInput(ws + render(model).replace(/,/g, `${ws},${ws}`) + ws, form),
            expect: 'ok',
            answer: base.answer,
            processedAt: PROCESSED_AT,
          }
        }
        case 'long-number':
          return caseOf(
            base,
            addExtra(model, false, 'n', { raw: `-${'9'.repeat(c.digits)}.${'1'.repeat(c.digits)}e-${c.digits}` }, 2),
            form,
            'ok',
          )
      }
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('the extremes: a million levels of nesting, 12 MiB fields, a 10 MiB sealed answer', { timeout: 60_000 }, async () => {
    const base = POOL[0]!
    const model = modelOf(base.pkg)
    // Megabytes take longer than the fuzz cases; still bounded, with room for a busy machine.
    const big = (c: Case): Case => ({ ...c, limitMs: 5_000 })
    const deep = (open: string, close: string) => ({ raw: open.repeat(1_000_000) + close.repeat(1_000_000) })
    const field = b64(new Uint8Array(12 * 1024 * 1024).fill(7))
    expect(await run(big(caseOf(base, addExtra(model, false, 'deep', deep('[', ']'), 1), 'bytes', 'ok')))).toBe('ok')
    expect(await run(big(caseOf(base, set(model, 'encrypted_aes_key', deep('{"a":', '}')), 'string', 'protocol')))).toBe('protocol')
    expect(await run(big({ input: '['.repeat(1_000_000), expect: 'protocol', answer: base.answer }))).toBe('protocol')
    for (const name of B64_FIELDS) expect(await run(big(caseOf(base, set(model, name, field), 'bytes', 'error')))).not.toBe('ok')
    const answer = completion('y'.repeat(10 * 1024 * 1024))
    const sealed = sealPackage(clientPublic, encoder.encode(JSON.stringify(answer)), 'extreme/10MiB')
    for (const form of ['bytes', 'string'] as const) {
      expect(await run(big({ input: asInput(JSON.stringify(sealed), form), expect: 'ok', answer, processedAt: PROCESSED_AT }))).toBe('ok')
    }
  })

  it('bytes that are not UTF-8, other encodings, byte order marks and lone surrogates', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const INVALID = [
      [0x80],
      [0xbf],
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xc0, 0xa2],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xfe],
      [0xff],
      [0xc3],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x94],
    ]
    const arb = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), base: baseArb, at: fc.nat(), seq: fc.constantFrom(...INVALID), form: byteFormArb }),
      fc.record({
        kind: fc.constant('overwrite' as const),
        base: baseArb,
        at: fc.nat(),
        seq: fc.constantFrom(...INVALID),
        form: byteFormArb,
      }),
      fc.record({ kind: fc.constant('inside-extra-string' as const), base: baseArb, seq: fc.constantFrom(...INVALID), form: byteFormArb }),
      fc.record({ kind: fc.constant('utf16' as const), base: baseArb, littleEndian: fc.boolean(), bom: fc.boolean(), form: byteFormArb }),
      fc.record({ kind: fc.constant('utf8-bom' as const), base: baseArb, form: byteFormArb }),
      fc.record({ kind: fc.constant('bom-between-tokens' as const), base: baseArb, at: fc.nat(), form: formArb }),
      fc.record({
        kind: fc.constant('unicode-extra' as const),
        base: baseArb,
        text: fc.string({ unit: 'binary', maxLength: 64 }),
        form: formArb,
      }),
      fc.record({ kind: fc.constant('lone-surrogate' as const), base: baseArb, inBase64: fc.boolean(), at: fc.nat(), low: fc.boolean() }),
    )
    const tally = await fuzz('non-UTF-8 bytes', arb, (c) => {
      const { base } = c
      const model = modelOf(base.pkg)
      const bytes = encoder.encode(base.text)
      const splice = (at: number, del: number, seq: number[]) => {
        const out = Array.from(bytes)
        out.splice(at % out.length, del, ...seq)
        return Uint8Array.from(out)
      }
      switch (c.kind) {
        case 'insert':
          return { input: asInput(splice(c.at, 0, c.seq), c.form), expect: 'protocol', answer: base.answer }
        case 'overwrite':
          return { input: asInput(splice(c.at, c.seq.length, c.seq), c.form), expect: 'protocol', answer: base.answer }
        case 'inside-extra-string': {
          // Inside a string of a field nobody reads: the whole text must still be UTF-8.
          const text = render(addExtra(model, false, 'note', 'ab', 7))
          const at = text.indexOf('"ab"') + 2
          return {
            input: asInput(Uint8Array.from([...encoder.encode(text.slice(0, at)), ...c.seq, ...encoder.encode(text.slice(at))]), c.form),
            expect: 'protocol',
            answer: base.answer,
          }
        }
        case 'utf16': {
          const units = Buffer.from((c.bom ? '\ufeff' : '') + base.text, 'utf16le')
          if (!c.littleEndian) units.swap16()
          return { input: asInput(new Uint8Array(units), c.form), expect: 'protocol', answer: base.answer }
        }
        case 'utf8-bom':
          // TextDecoder drops one leading UTF-8 BOM, as Python's json.loads of utf-8-sig would.
          return ok(base, asInput(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]), c.form))
        case 'bom-between-tokens': {
          const commas = [...base.text.matchAll(/,"/g)].map((m) => m.index!)
          const at = commas[c.at % commas.length]! + 1
          return {
            input: asInput(base.text.slice(0, at) + '\ufeff' + base.text.slice(at), c.form),
            expect: 'protocol',
            answer: base.answer,
          }
        }
        case 'unicode-extra':
          return caseOf(base, addExtra(model, true, 'note', c.text, 0), c.form, 'ok')
        case 'lone-surrogate': {
          const surrogate = c.low ? '\udc00' : '\ud800'
          if (!c.inBase64) return caseOf(base, addExtra(model, false, 'note', `a${surrogate}b`, 1), 'string', 'ok')
          const text = textOf(model, 'payload.ciphertext')
          const i = c.at % text.length
          return caseOf(base, set(model, 'payload.ciphertext', text.slice(0, i) + surrogate + text.slice(i + 1)), 'string', 'protocol')
        }
      }
    })
    expect(tally.cases).toBe(RUNS)
  })

  it('hostile plaintexts sealed by anyone who knows the client public key', { timeout: TARGET_TIMEOUT_MS }, async () => {
    const SPECIAL = [
      '{"choices":[]}',
      '{"choices":[],"_metadata":{"payload_id":"forged","is_encrypted":false}}',
      '{"choices":[{}],"__proto__":{"polluted":true}}',
      '{"choices":[{"__proto__":{"polluted":true}}],"constructor":{"prototype":{"polluted":true}}}',
      '{"choices":[1]}',
      '{"choices":[null]}',
      '{"choices":["text"]}',
      '{"choices":[[]]}',
      '{"choices":null}',
      '{"choices":{}}',
      '{"choices":"[]"}',
      '{"Choices":[]}',
      '[]',
      '[{"choices":[]}]',
      'null',
      '1e400',
      '"{\\"choices\\":[]}"',
      '{"choices":[{}]}   ',
      '{"choices":[{}]}\u0000',
      '{"choices":[{}]}{"choices":[{}]}',
      '{"choices":[{"message":{"content":"\\ud800"}}]}',
      '{"choices":[{"message":{"content":"' + 'x'.repeat(100_000) + '"}}]}',
      '{"choices":[{}],"n":1e400,"m":-0,"big":123456789012345678901234567890}',
      '',
      ' ',
    ]
    const plaintextArb = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      (fc.jsonValue() as fc.Arbitrary<Json>).map((v) => encoder.encode(JSON.stringify(v))),
      fc
        .record({
          choices: fc.oneof(
            fc.array(fc.oneof(fc.object() as fc.Arbitrary<Json>, fc.jsonValue() as fc.Arbitrary<Json>), { maxLength: 4 }),
            fc.jsonValue() as fc.Arbitrary<Json>,
          ),
          extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxKeys: 4 }),
        })
        .map(({ choices, extra }) => encoder.encode(JSON.stringify({ ...extra, choices }))),
      fc.record({ answer: fc.constantFrom(...ANSWERS), at: fc.nat(), byte: fc.nat(255) }).map(({ answer, at, byte }) => {
        const bytes = encoder.encode(JSON.stringify(answer))
        bytes[at % bytes.length] = byte
        return bytes
      }),
      fc.string({ unit: 'binary', maxLength: 200 }).map((s) => encoder.encode(s)),
      fc.constantFrom(...SPECIAL).map((s) => encoder.encode(s)),
      fc.constantFrom(...SPECIAL).map((s) => Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(s)])),
    )
    const arb = fc.record({ plaintext: plaintextArb, n: fc.nat(), form: formArb })
    const decoder = new TextDecoder('utf-8', { fatal: true })
    /** What decryptResponse opens: any JSON object, as the reference client (only create() wants `choices`). */
    const expected = (plaintext: Uint8Array): { answer: unknown } | undefined => {
      let value: unknown
      try {
        value = JSON.parse(decoder.decode(plaintext))
      } catch {
        return undefined
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
      const { _metadata, ...rest } = value as Record<string, unknown>
      return { answer: rest }
    }
    const tally = await fuzz('hostile plaintexts', arb, ({ plaintext, n, form }) => {
      const want = expected(plaintext)
      const pkg = sealPackage(clientPublic, plaintext, `hostile/${n}/${plaintext.length}`)
      return {
        input: asInput(JSON.stringify(pkg), form),
        expect: want ? 'ok' : 'protocol',
        answer: want?.answer,
        processedAt: PROCESSED_AT,
      }
    })
    expect(tally.cases).toBe(RUNS)
  })
})
