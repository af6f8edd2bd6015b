/**
 * The key options the runtime entries accept on top of the core's, and the three ways an entry turns
 * them into the client key store: from a secret (`secretKeys`, every server and edge entry), from a
 * key directory (`fileKeys` in file-keys.ts, the entries with files) or from an IndexedDB slot
 * (`indexedDBKeys`, browsers). Each entry's platform names one of them (see entry.ts). No file code
 * here, so the browser and Workers builds never hold any.
 */
import type { FileAccess } from '../keystore/files/file-access.js'
import { IndexedDBKeyStore } from '../keystore/indexeddb.js'
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

/** Key option of the browser entry. */
export interface BrowserKeyOptions {
  /**
   * IndexedDB slot of the default key store. Default `'default'`: every client of the page (and
   * its other tabs) shares one key pair; give a slot name to keep separate pairs.
   */
  keySlot?: string
}

/** The key settings of the core's options, which an entry's key options are turned into. */
export interface CoreKeyOptions {
  keyStore?: KeyStore
  files?: FileAccess
}

/**
 * Turns an entry's options (the core's `T` plus the entry's key options `K`) into the core's: the
 * key options taken out, `keyStore` (and, with files, `files`) set from them. Contradicting key
 * options throw a `TypeError`.
 */
export type KeyChoice<K> = <T extends CoreKeyOptions>(options: T & K) => T

/** The key from a secret (`privateKeyPem`), or the core's default (memory): Workers and Vercel Edge. */
export const secretKeys: KeyChoice<SecretKeyOptions> = (options) => resolveKeyOptions(options) as typeof options

/** The pair in IndexedDB (slot `keySlot`), unless a `keyStore` is given: browsers. */
export const indexedDBKeys: KeyChoice<BrowserKeyOptions> = (options) => {
  const { keySlot, ...rest } = options
  if (keySlot !== undefined && rest.keyStore !== undefined) throw new TypeError('Pass either keyStore or keySlot, not both')
  return { ...rest, keyStore: rest.keyStore ?? new IndexedDBKeyStore({ slot: keySlot }) } as typeof options
}

/**
 * The core options for `options`, with `keyStore` set from the key options when one applies (else
 * left to the core's default, memory). `fileStore` makes the store of a `keyDir`, where there are files.
 */
export function resolveKeyOptions(
  options: CoreKeyOptions & KeyDirOptions,
  fileStore?: (keyDir: string, password: string | undefined) => KeyStore,
): CoreKeyOptions {
  const { privateKeyPem, keyPassword, keyDir, ...rest } = options
  const given = [
    privateKeyPem !== undefined && 'privateKeyPem',
    keyDir !== undefined && 'keyDir',
    rest.keyStore !== undefined && 'keyStore',
  ].filter(Boolean)
  if (given.length > 1) throw new TypeError(`Pass only one of ${given.join(', ')}: each chooses where the client key lives`)
  if (keyPassword !== undefined && typeof keyPassword !== 'string') throw new TypeError('keyPassword must be a string')
  if (privateKeyPem !== undefined) return { ...rest, keyStore: new PemKeyStore(privateKeyPem, keyPassword) }
  if (keyDir !== undefined) {
    if (!fileStore) throw new TypeError('keyDir needs a file system, which this runtime entry does not have; use privateKeyPem')
    return { ...rest, keyStore: fileStore(keyDir, keyPassword) }
  }
  if (keyPassword) throw new TypeError(`keyPassword is used only with ${fileStore ? 'keyDir or ' : ''}privateKeyPem`)
  return rest
}
