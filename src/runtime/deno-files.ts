/**
 * Key files through Deno's own file API. `Deno` is reached through `globalThis` with a local type
 * of the few calls used, so no Deno declarations leak into the core's types.
 */
import type { FileAccess } from '../keystore/files.js'

interface DenoFileApi {
  readTextFile(path: string): Promise<string>
  writeTextFile(path: string, data: string, options?: { mode?: number; createNew?: boolean }): Promise<void>
  stat(path: string): Promise<unknown>
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): Promise<void>
  rename(from: string, to: string): Promise<void>
  link(existing: string, target: string): Promise<void>
  chmod(path: string, mode: number): Promise<void>
  remove(path: string): Promise<void>
  build: { os: string }
}

// Read on each call, not at import: the entry must load (and fail clearly) outside Deno too.
const deno = (): DenoFileApi => (globalThis as unknown as { Deno: DenoFileApi }).Deno
// Deno's errors are Deno.errors.NotFound / AlreadyExists; both also carry the POSIX `code`.
const code = (error: unknown): unknown => (error as { code?: unknown } | null)?.code
const windows = (): boolean => deno().build.os === 'windows'

function dirname(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return cut <= 0 ? (cut === 0 ? path.slice(0, 1) : '.') : path.slice(0, cut)
}

async function chmodExact(path: string, mode: number): Promise<void> {
  // Windows has no POSIX modes (Deno.chmod throws there); elsewhere undo the umask.
  if (!windows()) await deno().chmod(path, mode)
}

async function viaTemporary(path: string, text: string, mode: number, place: (temporary: string) => Promise<boolean>): Promise<boolean> {
  await deno().mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`
  try {
    await deno().writeTextFile(temporary, text, { mode, createNew: true })
    await chmodExact(temporary, mode)
    return await place(temporary)
  } finally {
    await deno().remove(temporary).catch(() => undefined)
  }
}

/**
 * File access for the Deno entry. Needs `--allow-read` and `--allow-write` for the key directory.
 *
 * @example
 * ```ts
 * import { FileKeyStore, denoFiles } from 'nomyo-secure/deno'
 * const keyStore = new FileKeyStore({ keyDir: 'client_keys', files: denoFiles })
 * ```
 */
export const denoFiles: FileAccess = {
  readText: (path) => deno().readTextFile(path),
  async exists(path) {
    try {
      await deno().stat(path)
      return true
    } catch (error) {
      if (code(error) === 'ENOENT') return false
      throw error
    }
  },
  async writeText(path, text, mode) {
    await viaTemporary(path, text, mode, async (temporary) => {
      await deno().rename(temporary, path)
      return true
    })
  },
  writeTextExclusive: (path, text, mode) =>
    viaTemporary(path, text, mode, async (temporary) => {
      // See node-files.ts: a hard link is atomic and never replaces an existing file.
      try {
        await deno().link(temporary, path)
        return true
      } catch (error) {
        if (code(error) === 'EEXIST') return false
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code(error) as string)) throw error
      }
      try {
        await deno().writeTextFile(path, text, { mode, createNew: true })
        await chmodExact(path, mode)
        return true
      } catch (error) {
        if (code(error) === 'EEXIST') return false
        throw error
      }
    }),
  async remove(path) {
    try {
      await deno().remove(path)
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error
    }
  },
  join: (dir, name) => (/[\\/]$/.test(dir) ? dir + name : `${dir}${windows() ? '\\' : '/'}${name}`),
}
