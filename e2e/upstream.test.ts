/**
 * `--upstream`: the router CLI forwards the decrypted request to an OpenAI-compatible server (here a
 * stand-in started by the test) and seals its answer back; upstream failures become 502/503/504.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { SecureChatCompletion, ServerError, ServiceUnavailableError } from '../dist/runtime/node.js'
import { startDemoCli, tempDir, writeKeyFile, type DemoCli } from './helpers/demo-cli.js'
import { clientPem, routerPem } from '../tests/helpers/keys.js'

const SECRET_PROMPT = 'my secret prompt 7f3a'

interface Received {
  method: string | undefined
  path: string | undefined
  authorization: string | undefined
  body: Record<string, unknown>
}

/** A minimal OpenAI `POST /chat/completions` server whose behaviour the test switches. */
async function startUpstream() {
  const received: Received[] = []
  const state = { mode: 'ok' as 'ok' | 'fail' | 'slow' }
  const server: Server = createServer(async (req, res) => {
    let text = ''
    for await (const chunk of req) text += chunk
    const body = JSON.parse(text) as Record<string, unknown>
    received.push({ method: req.method, path: req.url, authorization: req.headers.authorization, body })
    if (state.mode === 'fail') {
      // Real servers do quote the request in errors; none of this may reach the client or the log.
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: `crashed on ${text}` } }))
      return
    }
    if (state.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 3000))
    if (res.destroyed) return
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(upstreamAnswer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const upstreamAnswer = {
  id: 'chatcmpl-upstream-1',
  object: 'chat.completion',
  created: 1764000000,
  model: 'llama3.2:1b',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the upstream model' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
}

const tools = [
  {
    type: 'function',
    function: {
      name: 'lookup',
      description: 'Looks up a word',
      parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
    },
  },
]
const params = {
  model: 'llama3.2:1b',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: SECRET_PROMPT },
  ],
  temperature: 0.2,
  max_tokens: 64,
  top_p: 0.9,
  stop: ['END'],
  tools,
  tool_choice: 'auto',
  user: 'user-42',
}

let upstream: Awaited<ReturnType<typeof startUpstream>>
let cli: DemoCli
let client: SecureChatCompletion
let tmp: Awaited<ReturnType<typeof tempDir>>
let keyFile: string

beforeAll(async () => {
  tmp = await tempDir()
  keyFile = await writeKeyFile(tmp.dir, routerPem)
  upstream = await startUpstream()
  // The upstream key comes from the environment (kept out of `ps`); the router has its own API key.
  cli = await startDemoCli(
    ['--port', '0', '--key-file', keyFile, '--api-key', 'router-secret', '--upstream', upstream.url, '--upstream-timeout', '1'],
    {
      env: { NOMYO_UPSTREAM_KEY: 'upstream-secret' },
    },
  )
  client = new SecureChatCompletion({ baseUrl: cli.url, apiKey: 'router-secret', allowHttp: true, maxRetries: 0 })
  await client.client.loadKeys(clientPem)
})

afterAll(async () => {
  await cli?.stop()
  await upstream?.close()
  await tmp?.remove()
})

describe('router CLI with --upstream', () => {
  it('forwards exactly the decrypted payload and seals the upstream answer back', async () => {
    upstream.state.mode = 'ok'
    upstream.received.length = 0
    const answer = await client.create({ ...params, security_tier: 'high' })

    expect(upstream.received).toEqual([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        authorization: 'Bearer upstream-secret',
        // The tier and the router's API key travel in headers to the router, not to the upstream.
        body: { ...params, stream: false },
      },
    ])
    expect(answer).toEqual({ ...upstreamAnswer, _metadata: expect.objectContaining({ is_encrypted: true }) })
  })

  it('an upstream HTTP error reaches the client as a 502 without the upstream body', async () => {
    upstream.state.mode = 'fail'
    const error = await client.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 502, details: 'The upstream model server answered HTTP 500' })
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(SECRET_PROMPT)
  })

  it('a slow upstream is cut at --upstream-timeout with a 504, not a hang', async () => {
    upstream.state.mode = 'slow'
    const started = Date.now()
    const error = await client.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 504, details: 'The upstream model server did not answer within 1 s' })
    expect(Date.now() - started).toBeLessThan(2500)
  })

  it('an unreachable upstream is a 503 ServiceUnavailableError', async () => {
    const gone = await startUpstream()
    await gone.close()
    const orphan = await startDemoCli(['--port', '0', '--key-file', keyFile, '--upstream', gone.url])
    try {
      const other = new SecureChatCompletion({ baseUrl: orphan.url, allowHttp: true, maxRetries: 0 })
      await other.client.loadKeys(clientPem)
      const error = await other.create(params).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ServiceUnavailableError)
      expect(error).toMatchObject({ status: 503, details: 'The upstream model server is unavailable (ECONNREFUSED)' })
      expect(orphan.logLines().at(-1)).toMatch(/POST \/v1\/chat\/secure_completion 503 .*\(upstream ECONNREFUSED\)$/)
    } finally {
      await orphan.stop()
    }
  })

  it('logs each request in one line, with no plaintext and no key', () => {
    const lines = cli.logLines().filter((line) => line.includes('/v1/chat/secure_completion'))
    expect(lines.map((line) => line.split(' ')[3])).toEqual(['200', '502', '504'])
    expect(lines[1]).toContain('(upstream HTTP 500)')
    expect(lines[2]).toContain('(upstream timeout)')
    expect(cli.output()).not.toMatch(new RegExp(`${SECRET_PROMPT}|Be brief|upstream-secret|router-secret`))
  })
})
