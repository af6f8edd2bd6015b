/**
 * File access for key files, supplied by the runtime adapters (Node, Deno, Bun) so the core never
 * imports a file-system module. Layout and modes follow the reference Python client:
 * `keyDir/private_key.pem` (0600) and `keyDir/public_key.pem` (0644).
 */

export interface FileAccess {
  readText(path: string): Promise<string>
  /**
   * Writes `text` so that no reader ever sees a partial file (temporary file, then rename), creating
   * missing parent directories. `mode` is the new file's permission bits.
   */
  writeText(path: string, text: string, mode: number): Promise<void>
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
