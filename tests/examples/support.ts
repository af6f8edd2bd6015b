/**
 * What the example tests share: a stubbed OpenAI-compatible upstream on 127.0.0.1, an example
 * copied into an app directory that has `nomyo-secure` installed, a runtime process serving it,
 * and the two clients that must round-trip through it (ours, and the Python one from tests/interop).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SecureChatCompletion } from '../../src/runtime/node.js'
import { serve, type NodeServer } from '../../src/runtime/node-server.js'
import { clientPem } from '../helpers/keys.js'
import { echoCompletion } from '../helpers/router.js'
import { REPO_ROOT, makeApp } from '../runtimes/harness.js'

export const UPSTREAM_KEY = 'sk-upstream-stub-key'
export const NOMYO_API_KEY = 'sk-nomyo-example-key'
const CLIENT_KEY_PATH = fileURLToPath(new URL('../../../shared/vectors/keys/python-cryptography-plain.pem', import.meta.url))

export interface Upstream extends NodeServer {
  /** What the router forwarded: the decrypted request and the upstream key it sent. */
  requests: Array<{ body: Record<string, unknown>; authorization: string | null; path: string }>
}

/** An OpenAI-compatible server that echoes the last user message (`POST /v1/chat/completions`); model `broken` gets a 500. */
export async function startUpstream(): Promise<Upstream> {
  const requests: Upstream['requests'] = []
  const server = await serve(async (request) => {
    const body = (await request.json()) as Record<string, unknown>
    requests.push({ body, authorization: request.headers.get('authorization'), path: new URL(request.url).pathname })
    if (body.model === 'broken')
      return Response.json({ error: { message: `cannot answer ${JSON.stringify(body.messages)}` } }, { status: 500 })
    return Response.json({ ...echoCompletion(body), model: `upstream:${String(body.model)}` })
  })
  return Object.assign(server, { requests })
}

/** `examples/<name>` and `examples/shared`, copied into a fresh app whose node_modules links this package. */
export function exampleApp(name: string): { dir: string; remove(): void } {
  const app = makeApp(name)
  for (const folder of [name, 'shared']) cpSync(join(REPO_ROOT, 'examples', folder), join(app.dir, 'examples', folder), { recursive: true })
  return { dir: join(app.dir, 'examples', name), remove: app.remove }
}

/** A server process that prints `Listening on http://host:port`; resolves with that URL. */
export function startServer(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('close', () => done())
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`${command} did not start listening within 60 s\n${output}`))
    }, 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk
      const listening = /Listening on (http:\/\/\S+)/.exec(output)
      if (listening) {
        clearTimeout(timer)
        resolve({ url: listening[1]!.replace('0.0.0.0', '127.0.0.1'), stop })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${command} could not start: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited with ${code} before listening\n${output}`))
    })
  })
}

/** Our client, with the fixture client key, asking `baseUrl` one question. */
export async function askWithOurClient(baseUrl: string, content: string, apiKey?: string, model = 'example-model') {
  // 'require': every example router advertises key binding, and our client must use it.
  const client = new SecureChatCompletion({ baseUrl, apiKey, allowHttp: true, maxRetries: 0, keyBinding: 'require' })
  await client.client.loadKeys(clientPem)
  return client.create({ model, messages: [{ role: 'user', content }] })
}

/** The Python client (tests/interop/python_client.py) asking `baseUrl` one question; the opened answer. */
export async function askWithPythonClient(baseUrl: string, content: string, apiKey?: string): Promise<Record<string, unknown>> {
  const request = JSON.stringify({ model: 'example-model', messages: [{ role: 'user', content }] })
  const script = join(REPO_ROOT, 'tests/interop/python_client.py')
  const bin = process.env.NOMYO_INTEROP_PYTHON ?? 'python3'
  const args = [script, baseUrl, CLIENT_KEY_PATH, ...(apiKey ? [apiKey] : [])]
  const result = await runWithInput(bin, args, request)
  if (result.code !== 0) throw new Error(`python client exited with ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as Record<string, unknown>
}

function runWithInput(command: string, args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}
