/**
 * The proxy plays safe on a shared machine. Each test plays the attacker or the careless client with
 * raw HTTP (as `curl` would send it) against the real CLI process: a page that rebinds its domain to
 * 127.0.0.1, a page on another origin, a local process without the local token, a body that is not
 * JSON, too big, or of the wrong type. Every refusal is OpenAI-shaped and nothing reaches the router.
 */
import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { startWireRouter, type WireRouter } from '../tests/openai/setup.js'
import { startProxy, type ProxyCli } from './helpers/proxy-cli.js'
import { proxyTestHooks } from './helpers/proxy-hooks.js'

const { keyDir, running } = proxyTestHooks()

async function setUp(args: string[] = []): Promise<{ router: WireRouter; proxy: ProxyCli }> {
  const router = await startWireRouter()
  running.push(router)
  const proxy = await startProxy(['--router', router.url, '--key-dir', keyDir.dir, ...args])
  running.push(proxy)
  return { router, proxy }
}

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  json: { error?: { message: string; type: string; code: string } } & Record<string, unknown>
}

/** One HTTP request with exactly these headers (fetch would not let a test set Host). */
function raw(
  base: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Raw> {
  const url = new URL(options.path ?? '/v1/chat/completions', base)
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : {} })
      })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const JSON_TYPE = { 'content-type': 'application/json' }
const chat = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })

describe('nomyo-secure proxy refuses what it must', () => {
  it('bad JSON is a 400, a wrong content type a 415, a GET on the chat endpoint a 405, an unknown path a 404', async () => {
    const { router, proxy } = await setUp()
    const bad = await raw(proxy.url, { headers: JSON_TYPE, body: '{"model": "m", "messages": [' })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatchObject({ type: 'invalid_request_error' })
    expect(bad.json.error!.message).not.toContain('messages')

    const form = await raw(proxy.url, { headers: { 'content-type': 'text/plain' }, body: chat })
    expect(form.status).toBe(415)
    expect(form.json.error).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_media_type' })

    expect((await raw(proxy.url, { method: 'GET' })).status).toBe(405)
    const unknown = await raw(proxy.url, { method: 'GET', path: '/v1/embeddings' })
    expect(unknown.status).toBe(404)
    expect(unknown.json.error).toMatchObject({ type: 'not_found_error', code: 'unknown_url' })
    expect(router.wire).toHaveLength(0)
  })

  it('a body over 10 MiB is refused with 413, whether its length is declared or it comes chunked', async () => {
    const { router, proxy } = await setUp()
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)
    const declared = await raw(proxy.url, { headers: JSON_TYPE, body: big })
    expect(declared.status).toBe(413)
    expect(declared.json.error).toMatchObject({ code: 'payload_too_large' })
    const chunked = await raw(proxy.url, { headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, body: big })
    expect(chunked.status).toBe(413)
    // Exactly at the limit is not refused for its size (it is not valid JSON, so 400).
    const atLimit = await raw(proxy.url, { headers: JSON_TYPE, body: Buffer.alloc(10 * 1024 * 1024, 0x20) })
    expect(atLimit.status).toBe(400)
    expect(router.wire).toHaveLength(0)
    expect((await proxy.waitForLogLines(3)).map((line) => line.split(' ')[3])).toEqual(['413', '413', '400'])
  })

  it('DNS rebinding: a request addressed to another host name is refused (421), a loopback name is served', async () => {
    const { router, proxy } = await setUp()
    const port = new URL(proxy.url).port
    const rebound = await raw(proxy.url, { headers: { ...JSON_TYPE, host: `attacker.example:${port}` }, body: chat })
    expect(rebound.status).toBe(421)
    expect(rebound.json.error).toMatchObject({ code: 'host_not_allowed' })
    expect((await raw(proxy.url, { method: 'GET', path: '/healthz', headers: { host: `evil.test:${port}` } })).status).toBe(421)
    // Whatever the body: an oversized one from the wrong host is refused as the wrong host.
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)
    expect((await raw(proxy.url, { headers: { ...JSON_TYPE, host: `attacker.example:${port}` }, body: big })).status).toBe(421)
    expect(router.wire).toHaveLength(0)
    expect((await raw(proxy.url, { headers: { ...JSON_TYPE, host: `localhost:${port}` }, body: chat })).status).toBe(200)
  })

  it('a web page (Origin) is refused and gets no CORS headers unless --cors-origin allows it', async () => {
    const { router, proxy } = await setUp()
    const page = await raw(proxy.url, { headers: { ...JSON_TYPE, origin: 'https://evil.example' }, body: chat })
    expect(page.status).toBe(403)
    expect(page.json.error).toMatchObject({ type: 'permission_error', code: 'origin_not_allowed' })
    expect(page.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await raw(proxy.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(403)
    expect(router.wire).toHaveLength(0)
  })

  it('--cors-origin: that origin gets its preflight and CORS headers, others are still refused', async () => {
    const { proxy } = await setUp(['--cors-origin', 'http://localhost:5173'])
    const preflight = await raw(proxy.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type')
    const allowed = await raw(proxy.url, { headers: { ...JSON_TYPE, origin: 'http://localhost:5173' }, body: chat })
    expect(allowed.status).toBe(200)
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    // The page can read a refusal too, such as its body being too large.
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)
    const tooLarge = await raw(proxy.url, { headers: { ...JSON_TYPE, origin: 'http://localhost:5173' }, body: big })
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    expect((await raw(proxy.url, { headers: { ...JSON_TYPE, origin: 'http://localhost:8080' }, body: chat })).status).toBe(403)
  })

  it('--local-token: a request without it or with another is 401; /healthz stays open; the token is never logged', async () => {
    const token = 'local-token-4d1f9c'
    const { router, proxy } = await setUp(['--local-token', token])
    const missing = await raw(proxy.url, { headers: JSON_TYPE, body: chat })
    expect(missing.status).toBe(401)
    expect(missing.json.error).toMatchObject({ type: 'authentication_error', code: 'invalid_local_token' })
    expect((await raw(proxy.url, { headers: { ...JSON_TYPE, authorization: 'Bearer wrong' }, body: chat })).status).toBe(401)
    expect((await raw(proxy.url, { method: 'GET', path: '/v1/models' })).status).toBe(401)
    expect(router.wire).toHaveLength(0)
    expect((await raw(proxy.url, { method: 'GET', path: '/healthz' })).status).toBe(200)
    const ok = await raw(proxy.url, { headers: { ...JSON_TYPE, authorization: `Bearer ${token}` }, body: chat })
    expect(ok.status).toBe(200)
    // The local token is not the router's API key: it is not forwarded.
    expect(router.requests[0]!.apiKey).toBeUndefined()
    expect(proxy.output()).not.toContain(token)
  })
})

describe('nomyo-secure proxy options', () => {
  it('refuses a plain-http router that is not on this machine (the API key would travel in the clear)', async () => {
    // Refused before anything is sent: the address is never contacted.
    await expect(startProxy(['--router', 'http://192.0.2.1:12434', '--key-dir', keyDir.dir])).rejects.toThrow(
      /exited with 1[\s\S]*--router must be https/,
    )
  })
})
