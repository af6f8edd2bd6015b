/** Key files through `node:fs` (also what Bun and Deno's Node compatibility provide). */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { FileAccess } from '../keystore/files.js'

export const nodeFiles: FileAccess = {
  readText: (path) => readFile(path, 'utf8'),
  async writeText(path, text, mode) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    // Write a private temporary file, then rename: a crash never leaves a partial key file behind.
    const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`
    try {
      await writeFile(temporary, text, { mode, flag: 'wx' })
      await rename(temporary, path)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  },
  join,
}
