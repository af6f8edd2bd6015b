/**
 * Runs the real router CLI (`dist/cli/nomyo-secure-router.js`) as a child process for a test: waits for the URL it prints,
 * keeps everything it writes (to check the log and that no plaintext is in it), and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from './static-server.js'

export const CLI = join(REPO_ROOT, 'dist/cli/nomyo-secure-router.js')

export interface DemoCli {
  url: string
  port: number
  /** Everything the CLI wrote so far, stdout and stderr interleaved. */
  output(): string
  /** The request log lines so far (one per request). */
  logLines(): string[]
  /** Resolves once the process has exited. */
  stop(): Promise<void>
  child: ChildProcess
}

/** Starts the CLI with `args` (add `--port 0` for a free port) and resolves when it listens. */
export function startDemoCli(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<DemoCli> {
  // Secrets from the developer's shell must not change what the test starts.
  const { NOMYO_ROUTER_API_KEY: _a, NOMYO_UPSTREAM_KEY: _u, ...env } = process.env
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text))
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`the router CLI did not start within ${options.timeoutMs ?? 30_000} ms:\n${output}`))
    }, options.timeoutMs ?? 30_000)
    const check = () => {
      // The banner ends with "Ctrl+C stops."; the URL is on its first line.
      const match = /listening on (http:\/\/\S+)[\s\S]*Ctrl\+C stops\./.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.stdout!.off('data', check)
      const url = match[1]!
      resolve({
        url,
        port: Number(new URL(url).port),
        output: () => output,
        logLines: () => output.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line)),
        stop,
        child,
      })
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the router CLI exited with ${code} before listening:\n${output}`))
    })
  })
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
