/** SHA-256 of a public key's SPKI DER, lowercase hex: what clients pin. */
export async function fingerprintOf(publicKey: CryptoKey): Promise<string> {
  const spki = await crypto.subtle.exportKey('spki', publicKey)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', spki))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
