/**
 * The key options of the entries with a file system (Deno, Bun, Node): `keyDir` becomes a
 * `FileKeyStore` over the entry's file access, which the core also gets for `loadKeys(path)`.
 */
import { FileKeyStore } from '../keystore/files/file-key-store.js'
import type { FileAccess } from '../keystore/files/file-access.js'
import type { KeyStore } from '../keystore/types.js'
import { resolveKeyOptions, type KeyDirOptions } from './key-options.js'

/** Returns the function that turns an entry's options into the core's, for one runtime's files. */
export function withFiles(files: FileAccess) {
  const fileStore = (keyDir: string, password: string | undefined): KeyStore => new FileKeyStore({ keyDir, password, files })
  return <T extends { keyStore?: KeyStore }>(options: T & KeyDirOptions) => ({ files, ...resolveKeyOptions(options, fileStore) })
}
