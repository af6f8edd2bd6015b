import { KeyError } from '../../errors.js'
import { importPrivateKeyPem, exportPrivateKeyPem } from '../../crypto/pkcs8-lazy.js'
import { exportPublicKeyPem, generateRsaKeyPair } from '../../crypto/rsa.js'
import { DEFAULT_KEY_DIR, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, type FileAccess } from './file-access.js'
import type { KeyStore } from '../types.js'
import { PromiseCache } from '../../promise-cache.js'

/** Options of {@link FileKeyStore}. */
export interface FileKeyStoreOptions {
  /** Directory of `private_key.pem` and `public_key.pem`. Default `client_keys`, like the reference client. */
  keyDir?: string
  /** Encrypts the private key file (PKCS#8 PBES2, AES-256-CBC); needed again to load it. An empty string counts as none. */
  password?: string
  /** The runtime's file access: `nodeFiles`, `denoFiles` or `bunFiles` (the entries pass it for you). */
  files: FileAccess
}

/**
 * Keeps the pair in the reference Python client's key files, so keys move freely between the two
 * clients and OpenSSL: `keyDir/private_key.pem` (PKCS#8, encrypted when a password is given, mode
 * 0600) and `keyDir/public_key.pem` (SPKI, 0644).
 *
 * Existing files are loaded, and the private key becomes non-extractable. Without files, a pair is
 * generated once, written, and read back non-extractable. The private key file is created
 * exclusively: when two processes create at once, one file wins and both use it. A wrong password
 * throws a {@link KeyError} and never replaces the file.
 *
 * @example With the Node, Deno or Bun entry (which pass their file access)
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/node'
 * const client = new SecureChatCompletion({ keyDir: 'client_keys', keyPassword: process.env.NOMYO_KEY_PASSWORD })
 * ```
 * @example Built by hand
 * ```ts
 * import { FileKeyStore, SecureChatCompletion, nodeFiles } from 'nomyo-secure/node'
 * const keyStore = new FileKeyStore({ keyDir: '/var/lib/app/keys', password, files: nodeFiles })
 * const client = new SecureChatCompletion({ keyStore })
 * ```
 */
export class FileKeyStore implements KeyStore {
  readonly persistent = true
  readonly keyDir: string
  readonly #password: string | undefined
  readonly #files: FileAccess
  // A failure (wrong password, unreadable directory) is forgotten: the next call tries again.
  readonly #pair = new PromiseCache<CryptoKeyPair>()

  constructor(options: FileKeyStoreOptions) {
    const { keyDir = DEFAULT_KEY_DIR, password, files } = options ?? ({} as FileKeyStoreOptions)
    if (typeof keyDir !== 'string' || !keyDir) throw new TypeError('FileKeyStore: keyDir must be a non-empty path')
    if (password !== undefined && typeof password !== 'string') throw new TypeError('FileKeyStore: password must be a string')
    if (!files || typeof files.writeTextExclusive !== 'function' || typeof files.exists !== 'function') {
      throw new TypeError('FileKeyStore: files must be a FileAccess (nodeFiles, denoFiles or bunFiles)')
    }
    this.keyDir = keyDir
    // An unset optional setting often arrives as '' rather than undefined: no password, as in Python.
    this.#password = password || undefined
    this.#files = files
  }

  /** Path of the private key file. */
  get privateKeyPath(): string {
    return this.#files.join(this.keyDir, PRIVATE_KEY_FILE)
  }

  /** Path of the public key file. */
  get publicKeyPath(): string {
    return this.#files.join(this.keyDir, PUBLIC_KEY_FILE)
  }

  /**
   * Loads the pair from the files, or creates and writes it. `generate(true)` is asked for an
   * extractable pair (it is exported once); a generator that ignores the flag costs one extra
   * generation of the same size.
   */
  getOrCreate(generate: (extractable?: boolean) => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    return this.#pair.get(() => this.#loadOrCreate(generate))
  }

  /**
   * Removes both key files, so the next `getOrCreate` writes a new pair. The old private key is
   * gone for good: answers sealed to it can no longer be opened, by this client or the Python one.
   */
  async delete(): Promise<void> {
    this.#pair.clear()
    await this.#files.remove(this.privateKeyPath)
    await this.#files.remove(this.publicKeyPath)
  }

  async #loadOrCreate(generate: (extractable?: boolean) => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    const path = this.privateKeyPath
    const existing = await this.#read(path, true)
    if (existing !== undefined) {
      const loaded = await importPrivateKeyPem(existing, this.#password)
      await this.#restorePublicKey(loaded.publicKey)
      return loaded
    }

    const pair = await extractablePair(generate)
    const privatePem = await exportPrivateKeyPem(pair.privateKey, this.#password)
    if (!(await this.#files.writeTextExclusive(path, privatePem, 0o600))) {
      // Another process wrote its key first: use that one, so every process shares one key.
      return importPrivateKeyPem((await this.#read(path, false))!, this.#password)
    }
    await this.#files.writeText(this.publicKeyPath, await exportPublicKeyPem(pair.publicKey), 0o644)
    // Reading back what was written proves the file loads and leaves only a non-extractable key.
    return importPrivateKeyPem(privatePem, this.#password)
  }

  /**
   * A process killed between the two writes leaves the private key file alone, and the Python
   * client reads both files: the missing public half is written back. Best effort: a read-only key
   * directory still loads.
   */
  async #restorePublicKey(publicKey: CryptoKey): Promise<void> {
    try {
      if (await this.#files.exists(this.publicKeyPath)) return
      await this.#files.writeTextExclusive(this.publicKeyPath, await exportPublicKeyPem(publicKey), 0o644)
    } catch {
      // Loading must not depend on being able to write.
    }
  }

  async #read(path: string, missingOk: boolean): Promise<string | undefined> {
    try {
      if (missingOk && !(await this.#files.exists(path))) return undefined
      return await (this.#files.readPrivateKey ?? this.#files.readText)(path)
    } catch (error) {
      // A refusal by the OpenSSH checks says what to fix; keep it as it is.
      if (error instanceof KeyError) throw error
      // The cause names the path and the system error; neither is secret.
      throw new KeyError('Could not read the private key file in the key directory', { cause: error })
    }
  }
}

async function extractablePair(generate: (extractable?: boolean) => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
  const pair = await generate(true)
  if (pair.privateKey.extractable) return pair
  const bits = (pair.privateKey.algorithm as RsaHashedKeyAlgorithm).modulusLength
  return generateRsaKeyPair(bits, true)
}
