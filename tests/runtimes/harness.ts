/**
 * The Node side of the runtime runs: the router every runtime talks to, the vectors read from
 * ../shared/vectors, a throwaway app directory that has `nomyo-secure` installed the way npm links
 * it, the runtime binaries, and one vitest test per case a runtime reported.
 */
import { spawn } from 'node:child_process'
import { createHash, createPublicKey } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { echoCompletion, startRouter, type TestRouter } from '../helpers/router.js'
import { routerPublicPem } from '../helpers/keys.js'
import { KEY_DIR_SOURCE, loadVectors, suite, type CaseResult, type VectorData } from '../suite/index.js'
import type { CompletionRequest } from '../../src/router/handler.js'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const VECTORS_DIR = resolve(REPO_ROOT, '../shared/vectors')
export const SUITE_ENTRY = join(REPO_ROOT, 'tests/suite/index.ts')

export const readVectors = (): Promise<VectorData> => loadVectors((path) => readFile(join(VECTORS_DIR, path), 'utf8'))

/** The names a complete run reports, in order (`files`: with the key-file cases; `slow: false`: without generation). */
export const caseNames = (vectors: VectorData, options: { slow?: boolean; files?: boolean } = {}): string[] =>
  suite(vectors, { files: options.files })
    .filter((test) => options.slow !== false || !test.slow)
    .map((test) => test.name)

/** `dir/client_keys` laid out as the Python client leaves it, with its encrypted key from the vectors. */
export function makeKeyDir(dir: string): string {
  const keyDir = join(dir, 'client_keys')
  mkdirSync(keyDir, { recursive: true })
  copyFileSync(join(VECTORS_DIR, 'keys', KEY_DIR_SOURCE), join(keyDir, 'private_key.pem'))
  copyFileSync(join(VECTORS_DIR, 'keys', KEY_DIR_SOURCE.replace('-enc.pem', '-public.pem')), join(keyDir, 'public_key.pem'))
  // The Python client writes its private key 0600; a copy of the read-only vector would be refused.
  chmodSync(join(keyDir, 'private_key.pem'), 0o600)
  return keyDir
}

export const routerFingerprint = createHash('sha256')
  .update(createPublicKey(routerPublicPem).export({ type: 'spki', format: 'der' }))
  .digest('hex')

const STATUS_PATH = /^\/status\/(\d{3})(\/.*)$/
const CORS = { 'Access-Control-Allow-Origin': '*' }

/**
 * The real router handler on 127.0.0.1, open to any origin (the browser page lives on another
 * port). Answers echo what the router saw (`x_request`, `x_security_tier`, `x_api_key`,
 * `x_client_key`, `x_upload`: the request body's framing) and `/status/<code>/...` answers every secure request with that status.
 */
export async function startSuiteRouter(): Promise<TestRouter> {
  const clientKeys = new Map<string, string>()
  const uploads = new Map<string, 'length' | 'chunked'>()
  return startRouter({
    corsOrigin: '*',
    before(request) {
      const url = new URL(request.url)
      const canned = STATUS_PATH.exec(url.pathname)
      // CORS preflights go on to the handler, which answers them for any path.
      if (canned && request.method !== 'OPTIONS') {
        if (canned[2] === '/pki/public_key') return new Response(routerPublicPem, { headers: { ...CORS, 'Content-Type': 'text/plain' } })
        return Response.json({ detail: `canned ${canned[1]}` }, { status: Number(canned[1]), headers: CORS })
      }
      const payloadId = request.headers.get('x-payload-id')
      if (payloadId) clientKeys.set(payloadId, decodeURIComponent(request.headers.get('x-public-key') ?? ''))
      if (payloadId) uploads.set(payloadId, request.headers.has('content-length') ? 'length' : 'chunked')
      return undefined
    },
    complete: async (body: CompletionRequest, context) => {
      const x_client_key = clientKeys.get(context.payloadId)
      clientKeys.delete(context.payloadId)
      const x_upload = uploads.get(context.payloadId)
      uploads.delete(context.payloadId)
      const answer = {
        ...echoCompletion(body),
        x_request: body,
        x_security_tier: context.securityTier ?? null,
        x_api_key: context.apiKey ?? null,
        x_client_key,
        x_upload,
      }
      const tools = body.tools as Array<{ function: { name: string } }> | undefined
      if (!tools?.length) return answer
      const last = answer.choices[0]!.message.content.replace(/^echo: /, '')
      const choices = answer.choices.map((choice) => ({
        ...choice,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${choice.index}`,
              type: 'function',
              function: { name: tools[0]!.function.name, arguments: JSON.stringify({ echo: last }) },
            },
          ],
        },
        finish_reason: 'tool_calls',
      }))
      return { ...answer, choices }
    },
  })
}

/**
 * A throwaway app directory with `node_modules/nomyo-secure` linked to this repository, as
 * `npm install ../nomyo-secure` leaves it: runtimes resolve the package by name through its
 * `exports`, and its own dependencies from the repository's node_modules.
 */
export function makeApp(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `nomyo-${name}-`))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'nomyo-secure'), 'dir')
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `nomyo-${name}-app`, private: true, type: 'module', dependencies: { 'nomyo-secure': '*' } }),
  )
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A runtime binary from node_modules: the platform package's own file when it is still there (an
 * install that skipped postinstall scripts), else what the package's install step linked.
 */
export function binary(...candidates: string[]): string {
  const paths = candidates.map((candidate) => join(REPO_ROOT, 'node_modules', candidate))
  return paths.find((path) => existsSync(path)) ?? paths[paths.length - 1]!
}

/** Runs a runtime binary; a binary that cannot start rejects (the run fails, it is never skipped). */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', DO_NOT_TRACK: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      fail(new Error(`${command} could not start: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

/** The runner's report: the last stdout line that is JSON. */
export function parseReport<T>(output: { code: number | null; stdout: string; stderr: string }, what: string): T {
  const line = output.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{'))
  if (output.code !== 0 || !line) {
    const problem = output.code === 0 ? 'printed no report' : `exited with ${output.code ?? 'a signal (timeout?)'}`
    throw new Error(`${what} ${problem}\n--- stdout\n${output.stdout.slice(-4000)}\n--- stderr\n${output.stderr.slice(-4000)}`)
  }
  return JSON.parse(line) as T
}

/**
 * One vitest test per suite case, failing with the case's own message, so a report names every
 * failing case; plus one test that the runtime reported exactly the expected cases.
 */
export function itEachCase(names: string[], results: () => CaseResult[] | undefined, label = ''): void {
  for (const name of names) {
    it(`${label}${name}`, () => {
      const result = results()?.find((candidate) => candidate.name === name)
      if (!result) throw new Error(`${name}: did not run`)
      if (!result.ok) throw new Error(result.error)
    })
  }
  it(`${label}reports exactly the suite's cases`, () => {
    expect(results()?.map((result) => result.name)).toEqual(names)
  })
}

/**
 * Runs the suite once per test file in a runtime that runs a script (Bun, Deno): before the file's
 * tests, a suite router and an app named `name` with tests/runtimes/<name>/run.ts in it, then
 * `runScript` (given the app's directory and the router's URL) starts the runtime on that script.
 * Router and app are removed after the file. Returns the script's report, once the tests run.
 */
export function suiteReportOf<T>(
  name: string,
  runScript: (appDir: string, routerUrl: string) => ReturnType<typeof run>,
): () => T | undefined {
  let report: T | undefined
  const cleanup: Array<() => unknown> = []
  beforeAll(async () => {
    const router = await startSuiteRouter()
    const app = makeApp(name)
    cleanup.push(() => router.close(), app.remove)
    copyFileSync(join(REPO_ROOT, `tests/runtimes/${name}/run.ts`), join(app.dir, 'run.ts'))
    report = parseReport<T>(await runScript(app.dir, router.url), name)
  }, 120_000)
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step()
  })
  return () => report
}
