import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/runtime/node.js'

const run = promisify(execFile)
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const SCRIPT = fileURLToPath(new URL('./fixtures/create-key.ts', import.meta.url))
const DENO = join(ROOT, 'node_modules/.bin/deno')
const BUN = join(ROOT, 'node_modules/.bin/bun')
const PASSWORD = 'correct horse battery staple'

/** Starts one creator process; the Deno and Bun binaries come from the npm packages, and a missing one fails the test. */
async function creator(runtime: 'deno' | 'bun', keyDir: string, startAt: number): Promise<{ runtime: string; fingerprint: string }> {
  const args =
    runtime === 'deno'
      ? [
          DENO,
          [
            'run',
            '--quiet',
            '--node-modules-dir=manual',
            '--unstable-sloppy-imports',
            `--allow-read=${ROOT},${keyDir}`,
            `--allow-write=${keyDir}`,
            SCRIPT,
            keyDir,
            String(startAt),
            PASSWORD,
          ],
        ]
      : [BUN, [SCRIPT, keyDir, String(startAt), PASSWORD]]
  const { stdout } = await run(args[0] as string, args[1] as string[], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } })
  return JSON.parse(stdout.trim()) as { runtime: string; fingerprint: string }
}

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nomyo-filestore-rt-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('FileKeyStore across processes and runtimes (Deno and Bun file access)', () => {
  it('Deno and Bun processes creating in one directory at the same moment end with one key', async () => {
    const keyDir = join(root, 'shared')
    // Every process checks for the file at the same instant, then spends ~100 ms generating: all of
    // them find no file, so all but one lose the exclusive create and must read the winner.
    const startAt = Date.now() + 4000
    const results = await Promise.all([
      creator('deno', keyDir, startAt),
      creator('deno', keyDir, startAt),
      creator('bun', keyDir, startAt),
      creator('bun', keyDir, startAt),
    ])
    expect(results.map((r) => r.runtime).sort()).toEqual(['bun', 'bun', 'deno', 'deno'])
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(1)
    // No temporary files left behind, modes as the Python client sets them.
    expect(readdirSync(keyDir).sort()).toEqual(['private_key.pem', 'public_key.pem'])
    expect(statSync(join(keyDir, 'private_key.pem')).mode & 0o777).toBe(0o600)
    expect(statSync(join(keyDir, 'public_key.pem')).mode & 0o777).toBe(0o644)
    // And Node reads what Deno or Bun wrote.
    expect((await new SecureCompletionClient({ keyDir, keyPassword: PASSWORD }).publicKey()).fingerprint).toBe(results[0]!.fingerprint)
  }, 60_000)
})
