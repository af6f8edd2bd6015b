/**
 * Global setup: the independent test vectors must sit beside the repository (`../shared/vectors`),
 * as they do in CI. Without them dozens of files would fail with the same bare ENOENT; this says why once.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export default function requireVectors(): void {
  const vectors = new URL('../../../shared/vectors/wire-vectors.json', import.meta.url)
  if (!existsSync(vectors)) {
    throw new Error(
      `The independent test vectors are missing: expected ${fileURLToPath(vectors)} (the shared/vectors folder beside this repository)`,
    )
  }
}
