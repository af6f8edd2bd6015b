/**
 * Where a ciphertext may sit in the buffer its package is written into from the start: the package
 * writes 4 bytes of base64 per 3 it reads, after a head of under 100 bytes, so a ciphertext of n
 * bytes that starts ⌈n/3⌉ + 256 bytes in (or further) is never caught up with. Node's cipher seals
 * in place, so the plaintext is put there in the first place (`#platform/json-utf8`) and the
 * cipher moves a ciphertext only when it is not (`#platform/aes-gcm`). Its own module: browser
 * builds need neither side of it.
 */

/** The lowest offset of a ciphertext of `bytes` bytes, in a buffer a package is written into from its start. */
export function ciphertextLead(bytes: number): number {
  return Math.ceil(bytes / 3) + 256
}
