/**
 * Runs the real router CLI (`dist/cli/nomyo-secure-router.js`) as a child process for a test (see
 * ./cli-process.ts), and the key files it is given.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CliProcess, startCliProcess } from './cli-process.js'
import { REPO_ROOT } from './static-server.js'

export const CLI = join(REPO_ROOT, 'dist/cli/nomyo-secure-router.js')

export interface DemoCli extends CliProcess {
  port: number
}

/** Starts the CLI with `args` (add `--port 0` for a free port) and resolves when it listens. */
export async function startDemoCli(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<DemoCli> {
  // Secrets from the developer's shell must not change what the test starts.
  const { NOMYO_ROUTER_API_KEY: _a, NOMYO_UPSTREAM_KEY: _u, ...env } = process.env
  const cli = await startCliProcess('the router CLI', process.execPath, [CLI, ...args], {
    env: { ...env, ...options.env },
    timeoutMs: options.timeoutMs ?? 30_000,
  })
  return { ...cli, port: Number(new URL(cli.url).port) }
}

/** A temporary directory for key files, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nomyo-demo-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes a router key PEM (a fixture from ../shared/vectors) as a 0600 key file. */
export async function writeKeyFile(dir: string, pem: string, name = 'router_key.pem'): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, pem, { mode: 0o600 })
  return path
}
