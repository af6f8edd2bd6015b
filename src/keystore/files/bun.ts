/**
 * Key files in Bun: reads through `Bun.file`, writes through Bun's native `node:fs`, because
 * `Bun.write` has no file mode, exclusive create, rename or link. `Bun` is reached through
 * `globalThis` with a local type, so no Bun declarations leak into the core's types.
 */
import type { FileAccess } from './file-access.js'
import { nodeFiles } from './node.js'

interface BunFileApi {
  file(path: string): { text(): Promise<string>; exists(): Promise<boolean> }
}

const bun = (): BunFileApi => (globalThis as unknown as { Bun: BunFileApi }).Bun

/**
 * File access for the Bun entry.
 *
 * @example
 * ```ts
 * import { FileKeyStore, bunFiles } from 'nomyo-secure/bun'
 * const keyStore = new FileKeyStore({ keyDir: 'client_keys', files: bunFiles })
 * ```
 */
export const bunFiles: FileAccess = {
  ...nodeFiles,
  readText: (path) => bun().file(path).text(),
  exists: (path) => bun().file(path).exists(),
}
