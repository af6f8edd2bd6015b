/**
 * Shared pieces of the hardening suite: the fuzz seed, a per-case time bound, per-target statistics,
 * and an independent sealer (node:crypto, not this library) that makes answer packages for the
 * fixture client key — deterministic, so a seed reproduces the same inputs.
 */
import { constants, createCipheriv, createHash, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto'
import fc from 'fast-check'

/** One seed per test file; `FC_SEED=<n>` replays a failure. */
export function fuzzSeed(file: string): number {
  const seed = Number(process.env.FC_SEED ?? Date.now())
  console.log(`[${file}] fast-check seed ${seed} — reproduce with FC_SEED=${seed} npx vitest run tests/hardening/${file}.test.ts`)
  return seed
}

/** Longest a single case may take before it counts as a hang. */
export const CASE_LIMIT_MS = 2_000

export class HangError extends Error {}

/** Resolves like `promise`, or rejects with {@link HangError} after `ms`. */
export async function within<T>(promise: Promise<T>, ms = CASE_LIMIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`case took longer than ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Counts outcomes and the slowest case of one fuzz target, and prints them when done. */
export class Tally {
  readonly counts: Record<string, number> = {}
  cases = 0
  slowestMs = 0
  readonly #started = performance.now()

  constructor(readonly name: string) {}

  add(outcome: string, ms: number): void {
    this.cases++
    this.counts[outcome] = (this.counts[outcome] ?? 0) + 1
    if (ms > this.slowestMs) this.slowestMs = ms
  }

  report(): string {
    const seconds = ((performance.now() - this.#started) / 1000).toFixed(1)
    const outcomes = Object.entries(this.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')
    const line = `[fuzz] ${this.name}: ${this.cases} cases in ${seconds} s, slowest ${this.slowestMs.toFixed(0)} ms (${outcomes})`
    console.log(line)
    return line
  }
}

/** Runs an async property with the file's seed; stops at the first failure (the seed and path replay it). */
export async function check<T>(
  seed: number,
  numRuns: number,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, predicate), { seed, numRuns, endOnFailure: true })
}

// ---------------------------------------------------------------------------------------------
// An independent sealer. RSA-OAEP padding is done here (RFC 8017 §7.1.1, SHA-256 and MGF1-SHA-256)
// with a seed derived from a label, so a package is the same bytes on every run.

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

/** Deterministic bytes for a label: SHA-256 in counter mode. */
export function detBytes(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0, block = 0; i < length; block++) {
    const chunk = sha256(new TextEncoder().encode(`${label}/${block}`))
    out.set(chunk.subarray(0, Math.min(32, length - i)), i)
    i += 32
  }
  return out
}

function mgf1(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0, counter = 0; i < length; counter++) {
    const c = new Uint8Array([counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255])
    const block = sha256(seed, c)
    out.set(block.subarray(0, Math.min(32, length - i)), i)
    i += 32
  }
  return out
}

/** RSA-OAEP-SHA256 encryption of `message` to `publicKey` with a fixed OAEP seed. */
export function oaepEncrypt(publicKey: KeyObject, message: Uint8Array, label: string): Uint8Array {
  const k = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8)
  const hLen = 32
  if (message.length > k - 2 * hLen - 2) throw new RangeError('message too long for OAEP')
  const db = new Uint8Array(k - hLen - 1)
  db.set(sha256(new Uint8Array(0)))
  db[db.length - message.length - 1] = 0x01
  db.set(message, db.length - message.length)
  const seed = detBytes(`oaep/${label}`, hLen)
  const dbMask = mgf1(seed, db.length)
  const maskedDb = db.map((b, i) => b ^ dbMask[i]!)
  const seedMask = mgf1(maskedDb, hLen)
  const em = new Uint8Array(k)
  em.set(
    seed.map((b, i) => b ^ seedMask[i]!),
    1,
  )
  em.set(maskedDb, 1 + hLen)
  return new Uint8Array(publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, em))
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
export const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'))

export interface SealOptions {
  /** AES key length in bytes (the protocol allows 32 only). */
  keyBytes?: number
  /** Nonce length in bytes (the protocol allows 12 only; GCM itself takes any). */
  nonceBytes?: number
  /** Tag length in bytes (the protocol allows 16 only; GCM itself takes 4–16). */
  tagBytes?: number
  /** Bytes wrapped with RSA-OAEP instead of the AES key (to wrap a key of another length). */
  wrapped?: Uint8Array
}

/** The package shape as it travels; all binary fields standard padded base64. */
export interface WirePackage {
  version: string
  algorithm: string
  encrypted_payload: { ciphertext: string; nonce: string; tag: string }
  encrypted_aes_key: string
  key_algorithm: string
  payload_algorithm: string
  processed_at: number
}

/** Seals `plaintext` to `recipient` the way the router does, deterministically for `label`. */
export function sealPackage(recipient: KeyObject, plaintext: Uint8Array, label: string, options: SealOptions = {}): WirePackage {
  const keyBytes = options.keyBytes ?? 32
  const key = detBytes(`aes/${label}`, keyBytes)
  const nonce = detBytes(`nonce/${label}`, options.nonceBytes ?? 12)
  const cipher = createCipheriv(`aes-${keyBytes * 8}-gcm` as 'aes-256-gcm', key, nonce, { authTagLength: options.tagBytes ?? 16 })
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return {
    version: '1.0',
    algorithm: 'hybrid-aes256-rsa4096',
    encrypted_payload: { ciphertext: b64(body), nonce: b64(nonce), tag: b64(cipher.getAuthTag()) },
    encrypted_aes_key: b64(oaepEncrypt(recipient, options.wrapped ?? key, label)),
    key_algorithm: 'RSA-OAEP-SHA256',
    payload_algorithm: 'AES-256-GCM',
    processed_at: 1764000000.25,
  }
}

export const publicKeyOf = (pem: string) => createPublicKey(pem)
