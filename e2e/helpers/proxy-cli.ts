/**
 * Runs the real `nomyo-secure proxy` (the built `dist/cli/nomyo-secure.js`) as a child process of
 * Node, Deno or Bun (see ./cli-process.ts). Its client key is the fixture key in a 0600 key
 * directory, so no RSA-4096 key is generated per test.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binary } from '../../tests/runtimes/harness.js'
import { clientPem, clientPublicPem } from '../../tests/helpers/keys.js'
import { type CliProcess, startCliProcess } from './cli-process.js'
import { REPO_ROOT } from './static-server.js'

export const PROXY_BIN = join(REPO_ROOT, 'dist/cli/nomyo-secure.js')

export type Runtime = 'node' | 'deno' | 'bun'

const COMMANDS: Record<Runtime, () => string[]> = {
  node: () => [process.execPath],
  deno: () => [binary('@deno/linux-x64-glibc/deno', '.bin/deno'), 'run', '--allow-all', '--quiet'],
  bun: () => [binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')],
}

export type ProxyCli = CliProcess

/** A directory holding the fixture client key in the reference layout (private_key.pem 0600). */
export async function fixtureKeyDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'nomyo-proxy-'))
  const dir = join(root, 'client_keys')
  await mkdir(dir, { mode: 0o700 })
  await writeFile(join(dir, 'private_key.pem'), clientPem, { mode: 0o600 })
  await writeFile(join(dir, 'public_key.pem'), clientPublicPem, { mode: 0o644 })
  await chmod(join(dir, 'private_key.pem'), 0o600)
  return { dir, remove: () => rm(root, { recursive: true, force: true }) }
}

/** Starts `nomyo-secure proxy ARGS --port 0` with `runtime` and resolves when it listens. */
export function startProxy(
  args: string[],
  options: { runtime?: Runtime; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ProxyCli> {
  // Secrets from the developer's shell must not change what the test starts.
  const { NOMYO_API_KEY: _k, NOMYO_PROXY_TOKEN: _t, NOMYO_KEY_PASSWORD: _p, ...env } = process.env
  const [command, ...prefix] = COMMANDS[options.runtime ?? 'node']()
  return startCliProcess('the proxy', command!, [...prefix, PROXY_BIN, 'proxy', '--port', '0', ...args], {
    env: { ...env, NO_COLOR: '1', DO_NOT_TRACK: '1', ...options.env },
    timeoutMs: options.timeoutMs ?? 30_000,
  })
}
