/**
 * The key options of the entries with a file system (Node, Deno, Bun): `keyDir` becomes a
 * `FileKeyStore` over the runtime's file access, which the core also gets for key paths.
 */
import type { FileAccess } from '../keystore/files/file-access.js'
import { FileKeyStore } from '../keystore/files/file-key-store.js'
import type { KeyStore } from '../keystore/types.js'
import { type KeyChoice, type KeyDirOptions, resolveKeyOptions } from './key-options.js'

/** As `secretKeys` (key-options.ts), plus `keyDir` kept through `files`: Node, Deno, Bun. */
export function fileKeys(files: FileAccess): KeyChoice<KeyDirOptions> {
  const fileStore = (keyDir: string, password: string | undefined): KeyStore => new FileKeyStore({ keyDir, password, files })
  return (options) => ({ files, ...resolveKeyOptions(options, fileStore) }) as typeof options
}
