/**
 * File access for key files, supplied by the runtime adapters (Node, Deno, Bun) so the core never
 * imports a file-system module. Layout and modes follow the reference Python client:
 * `keyDir/private_key.pem` (0600) and `keyDir/public_key.pem` (0644).
 */

/**
 * The few file operations key files need. The Node, Deno and Bun entries bring their own; supply
 * one to the core entry only when you have a file system they do not cover.
 *
 * @example A read-only view of files bundled as strings
 * ```ts
 * const bundled: Record<string, string> = { 'keys/private_key.pem': pem }
 * const files: FileAccess = {
 *   readText: async (path) => bundled[path] ?? Promise.reject(new Error('not found')),
 *   exists: async (path) => path in bundled,
 *   writeText: async () => { throw new Error('read-only') },
 *   writeTextExclusive: async () => { throw new Error('read-only') },
 *   remove: async () => { throw new Error('read-only') },
 *   join: (dir, name) => `${dir}/${name}`,
 * }
 * ```
 */
export interface FileAccess {
  readText(path: string): Promise<string>
  /**
   * Reads a private key file only if OpenSSH would: not through a symbolic link, no permission for
   * group or others, in a directory others cannot write to; else a `KeyError` that says how to fix
   * it. The Node, Deno and Bun file access have it; without it, private keys are read as any file.
   */
  readPrivateKey?(path: string): Promise<string>
  /** Whether a file exists at `path`. */
  exists(path: string): Promise<boolean>
  /**
   * Writes `text` so that no reader ever sees a partial file (temporary file, then rename), creating
   * missing parent directories. `mode` is the new file's permission bits.
   */
  writeText(path: string, text: string, mode: number): Promise<void>
  /**
   * Like `writeText`, but only when no file is at `path` yet: resolves `false` and changes nothing
   * when one is. Two processes creating the same key file at once must see exactly one `true`.
   */
  writeTextExclusive(path: string, text: string, mode: number): Promise<boolean>
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>
  /** Joins a directory and a file name with the platform's separator. */
  join(dir: string, name: string): string
}

export const PRIVATE_KEY_FILE = 'private_key.pem'
export const PUBLIC_KEY_FILE = 'public_key.pem'
export const DEFAULT_KEY_DIR = 'client_keys'

/** True when a `loadKeys` argument is PEM text rather than a path. */
export function isPemText(value: string): boolean {
  return value.includes('-----BEGIN ')
}
