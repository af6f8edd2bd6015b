/**
 * Reads ../shared/vectors through whatever the runtime has: files in Node, Deno and Bun, HTTP in
 * the browser. The vectors stay where they are; nothing is copied into the repository.
 */
import type { KeyFile, VectorData } from './types.ts'

interface KeyIndex {
  password: string
  keys: Record<string, { public: string; expect: KeyFile['expect']; no_password?: boolean }>
}

/** @param read returns the text of a path relative to the vectors directory, e.g. `keys/index.json` */
export async function loadVectors(read: (path: string) => Promise<string>): Promise<VectorData> {
  const [wire, index] = await Promise.all([read('wire-vectors.json'), read('keys/index.json')])
  const keyIndex = JSON.parse(index) as KeyIndex
  const files = await Promise.all(
    Object.entries(keyIndex.keys).map(async ([file, entry]): Promise<KeyFile> => {
      const [pem, publicPem] = await Promise.all([read(`keys/${file}`), read(`keys/${entry.public}`)])
      return { file, pem, publicPem, expect: entry.expect, ...(entry.no_password ? {} : { password: keyIndex.password }) }
    }),
  )
  return { wire: JSON.parse(wire) as VectorData['wire'], keys: { password: keyIndex.password, files } }
}
