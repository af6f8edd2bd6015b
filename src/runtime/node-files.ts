/** Key files through `node:fs` (also what the Bun entry writes with: Bun has no rename or link of its own). */
import { chmod, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { FileAccess } from '../keystore/files.js'

const code = (error: unknown): unknown => (error as { code?: unknown } | null)?.code

/**
 * Writes a private temporary file beside `path` with exactly `mode` (chmod, so the umask cannot
 * widen or narrow it), hands it to `place`, and removes whatever is left of it.
 */
async function viaTemporary(path: string, text: string, mode: number, place: (temporary: string) => Promise<boolean>): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`
  try {
    await writeFile(temporary, text, { mode, flag: 'wx' })
    await chmod(temporary, mode)
    return await place(temporary)
  } finally {
    await rm(temporary, { force: true })
  }
}

/**
 * File access through `node:fs`, used by the Node entry (and for writing by the Bun entry).
 *
 * @example
 * ```ts
 * import { FileKeyStore, nodeFiles } from 'nomyo-secure/node'
 * const keyStore = new FileKeyStore({ keyDir: 'client_keys', files: nodeFiles })
 * ```
 */
export const nodeFiles: FileAccess = {
  readText: (path) => readFile(path, 'utf8'),
  async exists(path) {
    try {
      await stat(path)
      return true
    } catch (error) {
      if (code(error) === 'ENOENT') return false
      throw error
    }
  },
  async writeText(path, text, mode) {
    // Rename replaces the file in one step: a crash never leaves a partial key file behind.
    await viaTemporary(path, text, mode, async (temporary) => {
      await rename(temporary, path)
      return true
    })
  },
  writeTextExclusive: (path, text, mode) =>
    viaTemporary(path, text, mode, async (temporary) => {
      // A hard link is created whole or not at all and never replaces an existing file: atomic and
      // exclusive at once, which rename (replaces) and open 'wx' (partial file visible) are not.
      try {
        await link(temporary, path)
        return true
      } catch (error) {
        if (code(error) === 'EEXIST') return false
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code(error) as string)) throw error
      }
      // File systems without hard links (FAT, some network mounts): exclusive create, not atomic.
      try {
        await writeFile(path, text, { mode, flag: 'wx' })
        await chmod(path, mode)
        return true
      } catch (error) {
        if (code(error) === 'EEXIST') return false
        throw error
      }
    }),
  remove: (path) => rm(path, { force: true }),
  join,
}
