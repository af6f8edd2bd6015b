/**
 * The client's own RSA key pair: where it lives (a key store), how it is made (generated, loaded
 * from PEM or a file, rotated), and the one pending load that concurrent requests share. A client
 * and the clients made from it by `withOptions()` or a per-call `base_url` hold the same instance,
 * so they always seal answers to the same key.
 */
import { exportPublicKeyPem, generateRsaKeyPair, importPublicKeyPem } from '../crypto/rsa.js'
import { exportPrivateKeyPem, importPrivateKeyPem } from '../crypto/pkcs8-lazy.js'
import type { KeyStore } from '../keystore/types.js'
import { DEFAULT_KEY_DIR, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, isPemText, type FileAccess } from '../keystore/files/file-access.js'
import { describeKeyPair, type ClientKeys } from './client-keys.js'
import { PromiseCache } from '../promise-cache.js'

/** Options of {@link SecureCompletionClient.generateKeys}. */
export interface GenerateKeysOptions {
  saveToFile?: boolean
  keyDir?: string
  password?: string
  keySize?: number
}

/** What the key methods of a client resolve with: the public key and its SHA-256 fingerprint. */
export interface PublicKeyInfo {
  publicKeyPem: string
  fingerprint: string
}

const info = (keys: ClientKeys): PublicKeyInfo => ({ publicKeyPem: keys.publicPem, fingerprint: keys.fingerprint })

export class ClientKeyPair {
  readonly store: KeyStore
  readonly #keySize: number | undefined
  readonly #files: FileAccess | undefined
  // A failed load (a refused key, an unreadable key file) is forgotten: the next request tries again.
  readonly #keys = new PromiseCache<ClientKeys>()
  /** Set by generate/load: the pair in use is not the store's, so it does not survive a restart. */
  #manual = false

  constructor(store: KeyStore, keySize: number | undefined, files: FileAccess | undefined) {
    this.store = store
    this.#keySize = keySize
    this.#files = files
  }

  /** Whether the pair survives a restart: a persistent store, and no pair set by hand. */
  get persisted(): boolean {
    return this.store.persistent && !this.#manual
  }

  /** The pair in use, taken from (or created in) the store on first use; a failed load is retried next time. */
  get(): Promise<ClientKeys> {
    return this.#keys.get(() =>
      this.store.getOrCreate((extractable) => generateRsaKeyPair(this.#keySize, extractable === true)).then(describeKeyPair),
    )
  }

  async info(): Promise<PublicKeyInfo> {
    return info(await this.get())
  }

  /** See {@link SecureCompletionClient.generateKeys}. */
  async generate(options: GenerateKeysOptions): Promise<PublicKeyInfo> {
    const bits = options.keySize ?? this.#keySize
    if (!options.saveToFile) return this.#set(await describeKeyPair(await generateRsaKeyPair(bits)))
    const files = this.#needFiles('generateKeys({ saveToFile: true })')
    const dir = options.keyDir ?? DEFAULT_KEY_DIR
    const pair = await generateRsaKeyPair(bits, true)
    const privatePem = await exportPrivateKeyPem(pair.privateKey, options.password)
    await files.writeText(files.join(dir, PRIVATE_KEY_FILE), privatePem, 0o600)
    await files.writeText(files.join(dir, PUBLIC_KEY_FILE), await exportPublicKeyPem(pair.publicKey), 0o644)
    // Reading back what was written proves the file loads, and leaves only a non-extractable key.
    return this.#set(await describeKeyPair(await importPrivateKeyPem(privatePem, options.password)))
  }

  /** See {@link SecureCompletionClient.loadKeys}. */
  async load(privateKey: string, publicKey?: string, password?: string): Promise<PublicKeyInfo> {
    if (typeof privateKey !== 'string') throw new TypeError('loadKeys: privateKey must be PEM text or a file path')
    const pair = await importPrivateKeyPem(await this.#pemOrFile(privateKey, true), password)
    const described = await describeKeyPair(pair)
    if (publicKey !== undefined) {
      const given = await describeKeyPair({
        privateKey: pair.privateKey,
        publicKey: await importPublicKeyPem(await this.#pemOrFile(publicKey), 'public key'),
      })
      if (given.fingerprint !== described.fingerprint) throw new TypeError('loadKeys: the public key does not belong to the private key')
    }
    return this.#set(described)
  }

  /** See {@link SecureCompletionClient.rotateKeys}. */
  async rotate(): Promise<PublicKeyInfo> {
    await this.store.delete()
    this.#keys.clear()
    this.#manual = false
    return this.info()
  }

  #set(keys: ClientKeys): PublicKeyInfo {
    this.#keys.keep(Promise.resolve(keys))
    this.#manual = true
    return info(keys)
  }

  /** A private key file is read only when it passes the OpenSSH checks (see `FileAccess.readPrivateKey`). */
  async #pemOrFile(value: string, privateKey = false): Promise<string> {
    if (isPemText(value)) return value
    const files = this.#needFiles('loadKeys(path)')
    return privateKey && files.readPrivateKey ? files.readPrivateKey(value) : files.readText(value)
  }

  #needFiles(what: string): FileAccess {
    if (!this.#files) throw new TypeError(`${what} needs file access, which this runtime entry does not have; pass PEM text instead`)
    return this.#files
  }
}
