/**
 * Issue #12, finding 7: key files are treated like OpenSSH treats them, in Node, Deno and Bun. A
 * private key behind a symbolic link, open to group or others, or in a directory others can write
 * to is refused with a KeyError that says how to fix it; new directories are 0700, new key files
 * 0600 (private) and 0644 (public).
 */
import { execFile } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeyError, SecureCompletionClient } from '../../src/runtime/node.js'

const run = promisify(execFile)
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const PLAIN_KEY = fileURLToPath(new URL('../../../shared/vectors/keys/python-cryptography-plain.pem', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./fixtures/load-key.ts', import.meta.url))

let root: string
/** One key directory per situation, each with `private_key.pem` from the vectors. */
const dirs: Record<string, string> = {}
const expected: Record<string, RegExp> = {
  sound: /^loaded$/,
  groupReadable: /^ERR_KEY: .*accessible by group or others; run: chmod 600 .*private_key\.pem$/,
  worldReadable: /^ERR_KEY: .*accessible by group or others; run: chmod 600 .*private_key\.pem$/,
  symlinked: /^ERR_KEY: .*private_key\.pem is a symbolic link/,
  worldWritableDir: /^ERR_KEY: The key directory .* is writable by others; run: chmod o-w /,
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nomyo-keyfiles-'))
  const make = (name: string, fileMode: number, dirMode = 0o700) => {
    const dir = join(root, name)
    mkdirSync(dir)
    copyFileSync(PLAIN_KEY, join(dir, 'private_key.pem'))
    chmodSync(join(dir, 'private_key.pem'), fileMode)
    chmodSync(dir, dirMode)
    dirs[name] = dir
  }
  make('sound', 0o600)
  make('groupReadable', 0o640)
  make('worldReadable', 0o644)
  make('worldWritableDir', 0o600, 0o777)
  const symlinked = join(root, 'symlinked')
  mkdirSync(symlinked, { mode: 0o700 })
  symlinkSync(join(dirs.sound!, 'private_key.pem'), join(symlinked, 'private_key.pem'))
  dirs.symlinked = symlinked
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'loaded',
    (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
  )

describe('Node: private key files are checked like OpenSSH checks them', () => {
  it.each(Object.keys(expected))('%s: keyDir and loadKeys(path)', async (name) => {
    const keyDir = dirs[name]!
    expect(await outcome(new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey())).toMatch(expected[name]!)
    expect(await outcome(new SecureCompletionClient().loadKeys(join(keyDir, 'private_key.pem')))).toMatch(expected[name]!)
  })

  it('the refusal is a KeyError and the file is left as it was (nothing rewritten)', async () => {
    const path = join(dirs.worldReadable!, 'private_key.pem')
    const before = statSync(path)
    await expect(new SecureCompletionClient({ keyDir: dirs.worldReadable!, keySize: 2048 }).publicKey()).rejects.toBeInstanceOf(KeyError)
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs)
    expect(statSync(path).mode & 0o777).toBe(0o644)
  })

  it('new key directories are 0700, the private key 0600 and the public key 0644', async () => {
    const keyDir = join(root, 'new', 'nested')
    await new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey()
    expect(statSync(join(root, 'new')).mode & 0o777).toBe(0o700)
    expect(statSync(keyDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(keyDir, 'private_key.pem')).mode & 0o777).toBe(0o600)
    expect(statSync(join(keyDir, 'public_key.pem')).mode & 0o777).toBe(0o644)
  })
})

describe.each(['deno', 'bun'] as const)('%s: the same checks through its own file API', (runtime) => {
  it('refuses and loads exactly as Node does', async () => {
    const names = Object.keys(expected)
    const paths = names.map((name) => dirs[name]!)
    const [command, args] =
      runtime === 'deno'
        ? [
            join(ROOT, 'node_modules/.bin/deno'),
            [
              'run',
              '--quiet',
              '--node-modules-dir=manual',
              '--unstable-sloppy-imports',
              `--allow-read=${ROOT},${root}`,
              `--allow-write=${root}`,
              SCRIPT,
            ],
          ]
        : [join(ROOT, 'node_modules/.bin/bun'), [SCRIPT]]
    const { stdout } = await run(command, [...args, ...paths], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } })
    const report = JSON.parse(stdout.trim()) as { runtime: string; results: Record<string, { keyDir: string; loadKeys: string }> }
    expect(report.runtime).toBe(runtime)
    for (const name of names) {
      const result = report.results[dirs[name]!]!
      expect(result.keyDir, `${name} (keyDir)`).toMatch(expected[name]!)
      expect(result.loadKeys, `${name} (loadKeys)`).toMatch(expected[name]!)
    }
  }, 60_000)
})
