/**
 * The proxy against our independent Python router (tests/interop/python_router.py, written from the
 * spec on Python `cryptography`): the `openai` package talks plain JSON to the real proxy process,
 * and the Python router accepts what arrives only if it is a well-formed sealed package, whose
 * decrypted payload it logs for this test to compare.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureKeyDir, startProxy, type ProxyCli } from './helpers/proxy-cli.js'

const ROUTER_SCRIPT = fileURLToPath(new URL('../tests/interop/python_router.py', import.meta.url))
const ROUTER_KEY = fileURLToPath(new URL('../../shared/vectors/keys/openssl-plain.pem', import.meta.url))
const PROMPT = 'canary-interop: the vault code is 2718'

interface LogEntry {
  method: string
  path: string
  status: number
  ok: boolean
  detail: string | null
  headers?: { content_type: string; authorization: string | null; security_tier: string | null }
  payload?: Record<string, unknown>
}

/** python3 with `cryptography`, as the interop suite finds it; missing is a failure, not a skip. */
function python(): string {
  const candidates = process.env.NOMYO_INTEROP_PYTHON ? [process.env.NOMYO_INTEROP_PYTHON] : ['python3', '/usr/bin/python3']
  const found = candidates.find((bin) => spawnSync(bin, ['-c', 'import cryptography'], { encoding: 'utf8' }).status === 0)
  if (!found) throw new Error('python3 with the "cryptography" package is needed (apt-get install python3-cryptography)')
  return found
}

let router: ChildProcess
let routerUrl = ''
let work = ''
let keyDir: Awaited<ReturnType<typeof fixtureKeyDir>>
let proxy: ProxyCli
let openai: OpenAI

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nomyo-proxy-interop-'))
  keyDir = await fixtureKeyDir()
  router = spawn(python(), ['-B', ROUTER_SCRIPT, '--key', ROUTER_KEY, '--log', join(work, 'log.jsonl'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  routerUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    router.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (out.includes('\n')) resolve(`http://127.0.0.1:${Number(out.split('\n')[0])}`)
    })
    router.once('exit', (code) => reject(new Error(`python_router.py exited with ${code}`)))
  })
  proxy = await startProxy(['--router', routerUrl, '--key-dir', keyDir.dir, '--api-key', 'sk-interop', '--security-tier', 'high'])
  openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused', maxRetries: 0 })
})
afterAll(async () => {
  await proxy?.stop()
  router?.kill()
  await keyDir?.remove()
  rmSync(work, { recursive: true, force: true })
})

function completions(): LogEntry[] {
  return readFileSync(join(work, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry)
    .filter((entry) => entry.method === 'POST')
}

describe('nomyo-secure proxy against the Python interop router', () => {
  it('plain: the Python router opens the sealed package and its answer comes back', async () => {
    const completion = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: PROMPT }] })
    expect(completion.choices[0]!.message.content).toBe(`echo: ${PROMPT}`)
    const [entry] = completions()
    expect(entry).toMatchObject({ ok: true, status: 200, detail: null })
    expect(entry!.headers).toMatchObject({
      content_type: 'application/octet-stream',
      authorization: 'Bearer sk-interop',
      security_tier: 'high',
    })
    expect(entry!.payload).toMatchObject({ model: 'm', messages: [{ role: 'user', content: PROMPT }], stream: false })
    expect(proxy.output()).not.toContain(PROMPT)
  })

  it('tools and streaming', async () => {
    const tool = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }
    const called = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'find it' }],
      tools: [tool],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    })
    expect(called.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { name: 'lookup', arguments: '{"echo": "find it"}' } })

    const stream = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: PROMPT }], stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe(`echo: ${PROMPT}`)
    expect(completions().every((entry) => entry.ok)).toBe(true)
    expect(completions()).toHaveLength(3)
  })

  it('the Python router has no model list: GET /v1/models is a clear 404', async () => {
    const error = await openai.models.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
  })
})
