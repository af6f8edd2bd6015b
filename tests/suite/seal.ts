/**
 * Seals any bytes to a public key the way a router seals an answer (DESIGN.md section 1), so a case
 * can hand the client an answer that no well-behaved router would write: plaintext that is not UTF-8.
 * And opens a package the way a router opens a request, to read the exact bytes a client sealed.
 * Plain WebCrypto, as every runtime of the suite has it.
 */

const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' }
const TAG_BYTES = 16

/** The package bytes of `plaintext` sealed to the SPKI PEM `publicPem`. */
export async function sealBytes(publicPem: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const { subtle } = globalThis.crypto
  const recipient = await subtle.importKey('spki', derOf(publicPem), RSA, false, ['encrypt'])
  const aesKey = globalThis.crypto.getRandomValues(new Uint8Array(32))
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const aes = await subtle.importKey('raw', aesKey, 'AES-GCM', false, ['encrypt'])
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce }, aes, plaintext))
  const wrapped = new Uint8Array(await subtle.encrypt(RSA, recipient, aesKey))
  const pkg = {
    version: '1.0',
    algorithm: 'hybrid-aes256-rsa4096',
    encrypted_payload: {
      ciphertext: base64(sealed.subarray(0, sealed.length - TAG_BYTES)),
      nonce: base64(nonce),
      tag: base64(sealed.subarray(sealed.length - TAG_BYTES)),
    },
    encrypted_aes_key: base64(wrapped),
    key_algorithm: 'RSA-OAEP-SHA256',
    payload_algorithm: 'AES-256-GCM',
  }
  return new TextEncoder().encode(JSON.stringify(pkg))
}

/** The plaintext bytes of the package `bytes`, opened with the PKCS#8 PEM `privatePem`. */
export async function openBytes(privatePem: string, bytes: Uint8Array): Promise<Uint8Array> {
  const { subtle } = globalThis.crypto
  const pkg = JSON.parse(new TextDecoder().decode(bytes))
  const key = await subtle.importKey('pkcs8', derOf(privatePem), RSA, false, ['decrypt'])
  const aesKey = await subtle.decrypt(RSA, key, unbase64(pkg.encrypted_aes_key))
  const aes = await subtle.importKey('raw', aesKey, 'AES-GCM', false, ['decrypt'])
  const sealed = new Uint8Array([...unbase64(pkg.encrypted_payload.ciphertext), ...unbase64(pkg.encrypted_payload.tag)])
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: unbase64(pkg.encrypted_payload.nonce) }, aes, sealed))
}

function unbase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
}

function derOf(pem: string): Uint8Array {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
  return unbase64(body)
}

/** Standard padded base64; in slices (a multiple of 3 bytes) so that a large payload stays cheap. */
function base64(bytes: Uint8Array): string {
  const parts: string[] = []
  for (let at = 0; at < bytes.length; at += 0x3000) parts.push(btoa(String.fromCharCode(...bytes.subarray(at, at + 0x3000))))
  return parts.join('')
}
