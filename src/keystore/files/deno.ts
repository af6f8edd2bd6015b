/**
 * Key files through Deno's own file API. `Deno` is reached through `globalThis` with a local type
 * of the few calls used, so no Deno declarations leak into the core's types.
 */
import type { FileAccess } from './file-access.js'
import { fileAccessOver } from './atomic-writes.js'

interface DenoFileApi {
  readTextFile(path: string): Promise<string>
  writeTextFile(path: string, data: string, options?: { mode?: number; createNew?: boolean }): Promise<void>
  stat(path: string): Promise<{ mode: number | null }>
  lstat(path: string): Promise<{ mode: number | null; isSymlink: boolean }>
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): Promise<void>
  rename(from: string, to: string): Promise<void>
  link(existing: string, target: string): Promise<void>
  chmod(path: string, mode: number): Promise<void>
  remove(path: string): Promise<void>
  build: { os: string }
}

// Read on each call, not at import: the entry must load (and fail clearly) outside Deno too.
const deno = (): DenoFileApi => (globalThis as unknown as { Deno: DenoFileApi }).Deno
// Deno's errors (Deno.errors.NotFound, AlreadyExists, …) also carry the POSIX `code` the writes check.
const windows = (): boolean => deno().build.os === 'windows'

function dirname(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return cut <= 0 ? (cut === 0 ? path.slice(0, 1) : '.') : path.slice(0, cut)
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
export const denoFiles: FileAccess = fileAccessOver({
  readText: (path) => deno().readTextFile(path),
  stat: (path) => deno().stat(path),
  lstat: (path) => deno().lstat(path),
  mkdirs: (path, mode) => deno().mkdir(path, { recursive: true, mode }),
  writeNew: (path, text, mode) => deno().writeTextFile(path, text, { mode, createNew: true }),
  // Windows has no POSIX modes (Deno.chmod throws there).
  chmod: async (path, mode) => {
    if (!windows()) await deno().chmod(path, mode)
  },
  rename: (from, to) => deno().rename(from, to),
  link: (existing, target) => deno().link(existing, target),
  remove: (path) => deno().remove(path),
  dirname,
  join: (dir, name) => (/[\\/]$/.test(dir) ? dir + name : `${dir}${windows() ? '\\' : '/'}${name}`),
})
