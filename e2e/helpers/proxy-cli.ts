/**
 * Runs the real `nomyo-secure proxy` (the built `dist/cli/nomyo-secure.js`) as a child process of
 * Node, Deno or Bun: waits for the URL it prints, keeps everything it writes (for the log and
 * canary checks), and stops it. Its client key is the fixture key in a 0600 key directory, so no
 * RSA-4096 key is generated per test.
 */
import { spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binary } from '../../tests/runtimes/harness.js'
import { clientPem, clientPublicPem } from '../../tests/helpers/keys.js'
import { REPO_ROOT } from './static-server.js'

export const PROXY_BIN = join(REPO_ROOT, 'dist/cli/nomyo-secure.js')

export type Runtime = 'node' | 'deno' | 'bun'

const COMMANDS: Record<Runtime, () => string[]> = {
  node: () => [process.execPath],
  deno: () => [binary('@deno/linux-x64-glibc/deno', '.bin/deno'), 'run', '--allow-all', '--quiet'],
  bun: () => [binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')],
}

export interface ProxyCli {
  url: string
  /** Everything the proxy wrote so far, stdout and stderr interleaved. */
  output(): string
  /** The request log lines so far (one per request). */
  logLines(): string[]
  /**
   * The log lines once there are `count` of them: a line is written when its answer has been sent,
   * so it may reach the test's pipe just after the answer itself.
   */
  waitForLogLines(count: number): Promise<string[]>
  stop(): Promise<void>
}

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
  const child = spawn(command!, [...prefix, PROXY_BIN, 'proxy', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...env, NO_COLOR: '1', DO_NOT_TRACK: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }
  const timeoutMs = options.timeoutMs ?? 30_000
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`the proxy did not start within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const check = () => {
      const match = /listening on (http:\/\/\S+)[\s\S]*Ctrl\+C stops\./.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      const logLines = () => output.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
      const waitForLogLines = async (count: number) => {
        for (let waited = 0; logLines().length < count && waited < 5000; waited += 20) {
          await new Promise((done) => setTimeout(done, 20))
        }
        return logLines()
      }
      resolve({ url: match[1]!, output: () => output, logLines, waitForLogLines, stop })
    }
    child.stdout.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the proxy exited with ${code} before listening:\n${output}`))
    })
  })
}
