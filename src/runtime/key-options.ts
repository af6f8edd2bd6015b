/**
 * The key options the runtime entries accept on top of the core's, and how they pick a key store.
 * No file code here: the entries with a file system pass a factory for their file store.
 */
import { PemKeyStore } from '../keystore/pem-secret.js'
import type { KeyStore } from '../keystore/types.js'

/** Key options of every server and edge entry (Workers, Vercel Edge, Deno, Bun, Node). */
export interface SecretKeyOptions {
  /**
   * The client private key as PEM text (PKCS#8, encrypted PKCS#8 or PKCS#1), typically a secret
   * such as `env.NOMYO_CLIENT_KEY`. Imported non-extractable once per isolate and shared by every
   * client built from it (see `PemKeyStore`).
   */
  privateKeyPem?: string
  /** Password of an encrypted `privateKeyPem`, or of the key file in `keyDir`. */
  keyPassword?: string
}

/** Key options of the entries with a file system (Deno, Bun, Node). */
export interface KeyDirOptions extends SecretKeyOptions {
  /**
   * Keep the client key in this directory, in the reference Python client's layout
   * (`private_key.pem` 0600, encrypted with `keyPassword` when given, and `public_key.pem`): the key
   * survives restarts and is shared by the processes using the directory (see `FileKeyStore`).
   */
  keyDir?: string
}

type Stripped<T> = Omit<T, keyof KeyDirOptions>

/**
 * Returns the core options for `options`: the entry's key options taken out, and `keyStore` set
 * from them when one applies (else left to the core's default, memory).
 */
export function resolveKeyOptions<T extends { keyStore?: KeyStore }>(
  options: T & KeyDirOptions,
  fileStore?: (keyDir: string, password: string | undefined) => KeyStore,
): Stripped<T> {
  const { privateKeyPem, keyPassword, keyDir, ...rest } = options
  const given = [
    privateKeyPem !== undefined && 'privateKeyPem',
    keyDir !== undefined && 'keyDir',
    rest.keyStore !== undefined && 'keyStore',
  ].filter(Boolean)
  if (given.length > 1) throw new TypeError(`Pass only one of ${given.join(', ')}: each chooses where the client key lives`)
  if (keyPassword !== undefined && typeof keyPassword !== 'string') throw new TypeError('keyPassword must be a string')
  if (privateKeyPem !== undefined) return { ...rest, keyStore: new PemKeyStore(privateKeyPem, keyPassword) } as Stripped<T>
  if (keyDir !== undefined) {
    if (!fileStore) throw new TypeError('keyDir needs a file system, which this runtime entry does not have; use privateKeyPem')
    return { ...rest, keyStore: fileStore(keyDir, keyPassword) } as Stripped<T>
  }
  if (keyPassword) throw new TypeError(`keyPassword is used only with ${fileStore ? 'keyDir or ' : ''}privateKeyPem`)
  return rest as Stripped<T>
}
