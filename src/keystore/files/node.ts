/** Key files through `node:fs` (also what the Bun entry writes with: Bun has no rename or link of its own). */
import { chmod, link, lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { FileAccess } from './file-access.js'
import { fileAccessOver } from './atomic-writes.js'

/**
 * File access through `node:fs`, used by the Node entry (and for writing by the Bun entry).
 *
 * @example
 * ```ts
 * import { FileKeyStore, nodeFiles } from 'nomyo-secure/node'
 * const keyStore = new FileKeyStore({ keyDir: 'client_keys', files: nodeFiles })
 * ```
 */
// Windows reports made-up permission bits: there are no POSIX modes to check.
const posix = () => (globalThis as { process?: { platform?: string } }).process?.platform !== 'win32'

export const nodeFiles: FileAccess = fileAccessOver({
  readText: (path) => readFile(path, 'utf8'),
  stat: async (path) => ({ mode: posix() ? (await stat(path)).mode : null }),
  lstat: async (path) => {
    const facts = await lstat(path)
    return { mode: posix() ? facts.mode : null, isSymlink: facts.isSymbolicLink() }
  },
  mkdirs: async (path, mode) => void (await mkdir(path, { recursive: true, mode })),
  writeNew: (path, text, mode) => writeFile(path, text, { mode, flag: 'wx' }),
  chmod: (path, mode) => chmod(path, mode),
  rename: (from, to) => rename(from, to),
  link: (existing, target) => link(existing, target),
  remove: (path) => rm(path),
  dirname,
  join,
})
