/**
 * How key files are written, once for every runtime: through a private temporary file with an exact
 * mode, then a rename (replace) or a hard link (create only if absent). The adapters beside this file
 * (node.ts, deno.ts) supply only the primitive calls of their own runtime's file API.
 */
import { KeyError } from '../../errors.js'
import type { FileAccess } from './file-access.js'

/** The primitive calls of one runtime's file API. Failures carry a POSIX `code` (`ENOENT`, `EEXIST`, …). */
export interface FilePrimitives {
  readText(path: string): Promise<string>
  /** Follows symbolic links. `mode` is `null` where the platform has no POSIX modes. */
  stat(path: string): Promise<{ mode: number | null }>
  /** Does not follow a symbolic link: facts about the path itself. */
  lstat(path: string): Promise<{ mode: number | null; isSymlink: boolean }>
  /** Creates `path` and its missing parents with `mode`. */
  mkdirs(path: string, mode: number): Promise<void>
  /** Creates a new file (fails with `EEXIST` when one is there) with `mode` before the umask. */
  writeNew(path: string, text: string, mode: number): Promise<void>
  /** Sets exactly `mode` (a no-op where the platform has no POSIX modes). */
  chmod(path: string, mode: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  link(existing: string, target: string): Promise<void>
  /** Removes a file; fails with `ENOENT` when there is none. */
  remove(path: string): Promise<void>
  dirname(path: string): string
  join(dir: string, name: string): string
}

const code = (error: unknown): unknown => (error as { code?: unknown } | null)?.code
// A file system that cannot hard-link answers one of these.
const NO_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']

/** The {@link FileAccess} of a runtime, from its primitive calls. */
export function fileAccessOver(fs: FilePrimitives): FileAccess {
  const exactly = async (path: string, text: string, mode: number) => {
    await fs.writeNew(path, text, mode)
    // Undo the umask, which could widen or narrow the mode.
    await fs.chmod(path, mode)
  }

  /** Writes a private temporary file beside `path`, hands it to `place`, and removes what is left of it. */
  async function viaTemporary(path: string, text: string, mode: number, place: (temporary: string) => Promise<boolean>): Promise<boolean> {
    await fs.mkdirs(fs.dirname(path), 0o700)
    const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`
    try {
      await exactly(temporary, text, mode)
      return await place(temporary)
    } finally {
      await fs.remove(temporary).catch(() => undefined)
    }
  }

  return {
    readText: (path) => fs.readText(path),
    async readPrivateKey(path) {
      // The checks OpenSSH makes before it uses a private key (and StrictModes for its directory).
      const file = await fs.lstat(path)
      if (file.isSymlink) throw new KeyError(`The private key file ${path} is a symbolic link; use the file itself`)
      if (file.mode !== null && file.mode & 0o077) {
        throw new KeyError(`The private key file ${path} is accessible by group or others; run: chmod 600 ${path}`)
      }
      const dir = fs.dirname(path)
      const { mode } = await fs.stat(dir)
      if (mode !== null && mode & 0o002) throw new KeyError(`The key directory ${dir} is writable by others; run: chmod o-w ${dir}`)
      return fs.readText(path)
    },
    async exists(path) {
      try {
        await fs.stat(path)
        return true
      } catch (error) {
        if (code(error) === 'ENOENT') return false
        throw error
      }
    },
    async writeText(path, text, mode) {
      // Rename replaces the file in one step: a crash never leaves a partial key file behind.
      await viaTemporary(path, text, mode, async (temporary) => {
        await fs.rename(temporary, path)
        return true
      })
    },
    writeTextExclusive: (path, text, mode) =>
      viaTemporary(path, text, mode, async (temporary) => {
        // A hard link is created whole or not at all and never replaces an existing file: atomic and
        // exclusive at once, which rename (replaces) and exclusive create (partial file visible) are not.
        try {
          await fs.link(temporary, path)
          return true
        } catch (error) {
          if (code(error) === 'EEXIST') return false
          if (!NO_LINKS.includes(code(error) as string)) throw error
        }
        // File systems without hard links (FAT, some network mounts): exclusive create, not atomic.
        try {
          await exactly(path, text, mode)
          return true
        } catch (error) {
          if (code(error) === 'EEXIST') return false
          throw error
        }
      }),
    async remove(path) {
      try {
        await fs.remove(path)
      } catch (error) {
        if (code(error) !== 'ENOENT') throw error
      }
    },
    join: (dir, name) => fs.join(dir, name),
  }
}
