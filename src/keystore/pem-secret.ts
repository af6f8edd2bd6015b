import { importPrivateKeyPem } from '../crypto/pkcs8-lazy.js'
import { utf8Encoder } from '../crypto/utf8.js'
import { PromiseCache } from '../promise-cache.js'
import type { KeyStore } from './types.js'

// One import per secret for the life of the isolate (or process): every client and request built
// from the same secret gets the same CryptoKey objects. Keyed by a digest so the map holds no
// copy of the PEM or the password. A failed import is forgotten (the error goes to its caller).
const imported = new Map<string, PromiseCache<CryptoKeyPair>>()

async function cacheKey(pem: string, password: string | undefined): Promise<string> {
  // The password is part of the key: a wrong password must fail even after a right one succeeded.
  const bytes = utf8Encoder.encode(`${pem}\u0000${password ?? ''}\u0000${password === undefined ? 0 : 1}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  bytes.fill(0)
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Platforms that show a multi-line secret as one line store the newlines as the two characters
 * `\n` (a common way to paste a PEM into a dashboard); turn them back into line breaks.
 */
function unescapeNewlines(pem: string): string {
  return !pem.includes('\n') && pem.includes('\\n') ? pem.replace(/\\r\\n|\\n/g, '\n') : pem
}

/**
 * The client key from a secret: a PKCS#8 PEM (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY` with a
 * password, or PKCS#1 `RSA PRIVATE KEY`) held in an environment variable. Made for Cloudflare
 * Workers and Vercel Edge, usable anywhere. The key is imported non-extractable once per isolate
 * and shared by every client built from the same secret. It is persistent (the secret outlives the
 * isolate) and cannot be rotated from inside: replace the secret instead.
 *
 * Generate the secret with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out key.pem`
 * (add `-aes-256-cbc` to encrypt it) and store it, e.g. `wrangler secret put NOMYO_CLIENT_KEY < key.pem`.
 *
 * @example Cloudflare Worker
 * ```ts
 * import { SecureChatCompletion, PemKeyStore } from 'nomyo-secure/workers'
 * export default {
 *   async fetch(request, env) {
 *     const keyStore = new PemKeyStore(env.NOMYO_CLIENT_KEY, env.NOMYO_CLIENT_KEY_PASSWORD)
 *     const client = new SecureChatCompletion({ apiKey: env.NOMYO_API_KEY, keyStore })
 *     return Response.json(await client.create({ model: 'Qwen/Qwen3-0.6B', messages: await request.json() }))
 *   },
 * }
 * ```
 */
export class PemKeyStore implements KeyStore {
  readonly persistent = true
  readonly #pem: string
  readonly #password: string | undefined

  /**
   * @param pem the private key PEM text (not a path)
   * @param password the PEM's password when it is encrypted; an empty string counts as none
   */
  constructor(pem: string, password?: string) {
    if (typeof pem !== 'string' || !pem.trim()) {
      throw new TypeError('PemKeyStore: the private key PEM is missing (is the secret set in this environment?)')
    }
    if (password !== undefined && password !== null && typeof password !== 'string') {
      throw new TypeError('PemKeyStore: password must be a string')
    }
    this.#pem = unescapeNewlines(pem)
    // An unset optional secret often arrives as '' rather than undefined.
    this.#password = password || undefined
  }

  /** The imported pair; `generate` is never called (the key comes from the secret). */
  async getOrCreate(): Promise<CryptoKeyPair> {
    const key = await cacheKey(this.#pem, this.#password)
    let cache = imported.get(key)
    if (!cache) imported.set(key, (cache = new PromiseCache()))
    return cache.get(() => importPrivateKeyPem(this.#pem, this.#password))
  }

  /** Always rejects: a key held in a secret cannot be replaced from inside the program. */
  async delete(): Promise<void> {
    throw new TypeError(
      'PemKeyStore cannot rotate its key: it comes from a secret. Generate a new key (openssl genpkey -algorithm RSA ' +
        '-pkeyopt rsa_keygen_bits:4096), store it in the secret (e.g. wrangler secret put NOMYO_CLIENT_KEY) and redeploy',
    )
  }
}
