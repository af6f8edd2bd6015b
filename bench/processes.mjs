// Child processes for the Node-side benches: the router in its own process, and bench scripts whose
// last stdout line is their JSON result.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('..', import.meta.url))

// The router always runs in Node, also when the client under test runs in Deno or Bun (bench/run.mjs
// passes its own Node as NOMYO_BENCH_NODE; else `node` from PATH).
const NODE = globalThis.Deno || globalThis.Bun ? (process.env.NOMYO_BENCH_NODE ?? 'node') : process.execPath

/** Starts bench/router-server.mjs; resolves with its URL, a stats reader and `stop()`. */
export function startRouterProcess() {
  const child = spawn(NODE, [fileURLToPath(new URL('./router-server.mjs', import.meta.url))], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`the bench router exited early (${code})`)))
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { url } = JSON.parse(line)
      const call = async (path, method = 'GET') => (await fetch(url + path, { method })).json()
      resolve({
        url,
        stats: () => call('/__bench/stats'),
        reset: () => call('/__bench/reset', 'POST'),
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit')
            child.once('exit', done)
            child.stdin.end()
          }),
      })
    })
  })
}

/** Runs a command to completion; resolves with the JSON of its last stdout line. */
export function runJson(command, args, { timeoutMs = 300_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').pop() ?? ''
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${stderr.slice(-2000)}`))
      try {
        resolve(JSON.parse(last))
      } catch {
        reject(new Error(`${command} ${args.join(' ')} printed no JSON result:\n${stdout.slice(-1000)}\n${stderr.slice(-1000)}`))
      }
    })
  })
}
