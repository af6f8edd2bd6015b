/**
 * AES-256-GCM for Node and Bun through `node:crypto`'s streaming cipher, on the same CryptoKey.
 *
 * Why: WebCrypto's one-shot calls copy the whole input and return a new buffer, and Node 20's
 * decrypt slices the tag off first: 10 MiB costs 20 MiB more to seal and 30 MiB more to open
 * (measured; docs/performance.md). The streaming cipher reads the payload in slices and each slice's
 * output (GCM keeps lengths) is written back over it, so nothing payload-sized is allocated, and it
 * is faster (Node: 10 MiB opens in ~8 ms against ~21; Bun: half the time). Deno keeps WebCrypto: its
 * `node:crypto` cipher is twice as slow as its WebCrypto.
 *
 * The key stays a handle: `KeyObject.from` takes the CryptoKey, no key bytes reach JavaScript. An
 * unwrapped key is made extractable for it (Node ≥ 24 and Bun deprecate non-extractable keys there,
 * DEP0204, with a console warning); it lives only inside one `open` call. The tag is verified by
 * `final()` before any plaintext is returned, and a failed open wipes what was written.
 */
import { KeyObject, createCipheriv, createDecipheriv } from 'node:crypto'
import { releaseBuffer } from '../crypto/release.js'
import { ciphertextLead } from '../protocol/ciphertext-lead.js'
import type * as Web from './aes-gcm-web.js'

const TAG_BYTES = 16
/** Bytes per `update()`: large enough that the calls cost nothing, small enough to stay out of the way. */
const SLICE_BYTES = 256 * 1024

export const EXTRACTABLE_AES_KEY: typeof Web.EXTRACTABLE_AES_KEY = true

/** Runs `data` through the cipher slice by slice into `out` (which may be `data` itself). */
function streamInto(cipher: { update(data: Uint8Array): Uint8Array }, data: Uint8Array, out: Uint8Array): void {
  for (let at = 0; at < data.length; at += SLICE_BYTES) {
    const chunk = cipher.update(data.subarray(at, at + SLICE_BYTES))
    out.set(chunk, at)
    // Freed at once where the runtime can (not Node 20) when the chunk has a buffer of its own: Bun
    // allocates a byte more than it returns, and a share of Buffer's pool is under half the pool.
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength - chunk.byteLength <= 16) releaseBuffer(chunk)
  }
}

export const gcmEncrypt: typeof Web.gcmEncrypt = async (key, iv, additionalData, data, consume) => {
  const cipher = createCipheriv('aes-256-gcm', KeyObject.from(key), iv, { authTagLength: TAG_BYTES })
  if (additionalData) cipher.setAAD(additionalData)
  // Over the plaintext when it is the caller's to overwrite and its buffer has room for the tag.
  const buffer = data.buffer as ArrayBuffer
  const inPlace = consume && buffer.byteLength - data.byteOffset - data.length >= TAG_BYTES
  const out = inPlace ? new Uint8Array(buffer, data.byteOffset, data.length + TAG_BYTES) : new Uint8Array(data.length + TAG_BYTES)
  streamInto(cipher, data, out)
  cipher.final()
  out.set(cipher.getAuthTag(), data.length)
  // Where a package written from the buffer's start never catches up with it (ciphertextLead):
  // where it is, if the plaintext was put far enough in; else moved there, or to the buffer's end if
  // that is nearer. Not further: room past it may be spare, and pages never written cost no memory.
  const lead = ciphertextLead(data.length)
  if (!inPlace || data.byteOffset >= lead) return out
  const at = Math.min(lead, buffer.byteLength - out.length)
  const whole = new Uint8Array(buffer)
  whole.copyWithin(at, out.byteOffset, out.byteOffset + out.length)
  return whole.subarray(at, at + out.length)
}

export const gcmDecrypt: typeof Web.gcmDecrypt = async (key, iv, additionalData, data, consume) => {
  if (data.length < TAG_BYTES) throw new RangeError('No room for a tag')
  const length = data.length - TAG_BYTES
  const decipher = createDecipheriv('aes-256-gcm', KeyObject.from(key), iv, { authTagLength: TAG_BYTES })
  decipher.setAuthTag(data.subarray(length))
  if (additionalData) decipher.setAAD(additionalData)
  const out = consume ? data.subarray(0, length) : new Uint8Array(length)
  try {
    streamInto(decipher, data.subarray(0, length), out)
    decipher.final()
  } catch (error) {
    // Unauthenticated plaintext is never left behind.
    out.fill(0)
    throw error
  }
  return out
}
