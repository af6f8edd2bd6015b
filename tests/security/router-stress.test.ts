/**
 * Issue #12's stress test: 400 MB bodies, with and without a valid API key, with and without
 * Content-Length, thrown at `serve()` + the router handler in a process of their own. Each is refused
 * (or, with a valid key and no Content-Length, cut at the 16 MiB limit) while the server's RSS grows
 * by less than 50 MB, and the server answers a normal request right after. The bodies are made as
 * they are sent: nothing of 400 MB is ever allocated on either side.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/client/secure-completion-client.js'
import { clientPem, clientPublicPem } from '../helpers/keys.js'
import { rawPost, zeros } from './support.js'

const API_KEY = 'sk-stress-test'
const MB = 1024 * 1024
const BODY = 400 * MB
let child: ChildProcess
let base = ''

/**
 * What the kernel holds without the router reading a byte: Linux grows the server's receive buffer
 * and the client's send buffer up to these maxima, and a loaded machine (CI running the suite on two
 * cores) answers late enough for both to fill. Elsewhere, a generous 40 MB.
 */
const kernelBuffers = (() => {
  try {
    const max = (file: string) => Number(readFileSync(`/proc/sys/net/ipv4/${file}`, 'utf8').trim().split(/\s+/)[2])
    return max('tcp_rmem') + max('tcp_wmem')
  } catch {
    return 40 * MB
  }
})()

function ask(message: 'reset' | 'measure'): Promise<{ rss: number; peak: number }> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as { rss: number; peak: number }))
    child.send(message)
  })
}

beforeAll(async () => {
  const pem = fileURLToPath(new URL('../../../shared/vectors/keys/openssl-plain.pem', import.meta.url))
  child = fork(fileURLToPath(new URL('./stress-router.mjs', import.meta.url)), [pem, API_KEY], { stdio: 'inherit' })
  base = await new Promise<string>((resolve) => child.once('message', (message) => resolve((message as { url: string }).url)))
})
afterAll(() => {
  child.disconnect()
})

async function normalRequest() {
  const client = new SecureCompletionClient({ routerUrl: base, allowHttp: true, maxRetries: 0 })
  await client.loadKeys(clientPem)
  return client.sendSecureRequest({ model: 'stress', messages: [{ role: 'user', content: 'hi' }] }, undefined, API_KEY)
}

describe('a 400 MB body against serve() and the router handler', () => {
  it('a normal request is answered (and warms the server up before measuring)', async () => {
    expect((await normalRequest()).id).toBe('chatcmpl-stress')
  })

  const headers = {
    'Content-Type': 'application/octet-stream',
    'X-Payload-ID': 'stress',
    'X-Public-Key': encodeURIComponent(clientPublicPem),
  }
  it.each([
    { name: 'no API key, Content-Length', requestHeaders: { ...headers, 'Content-Length': String(BODY) }, status: 401 },
    { name: 'no API key, chunked', requestHeaders: headers, status: 401 },
    {
      name: 'a valid API key, Content-Length',
      requestHeaders: { ...headers, Authorization: `Bearer ${API_KEY}`, 'Content-Length': String(BODY) },
      status: 413,
    },
    { name: 'a valid API key, chunked: cut at the limit', requestHeaders: { ...headers, Authorization: `Bearer ${API_KEY}` }, status: 413 },
  ])('$name: refused with $status, RSS grows < 50 MB, a normal request answered right after', async ({ requestHeaders, status }) => {
    const before = await ask('reset')
    const started = Date.now()
    const answer = await rawPost(`${base}/v1/chat/secure_completion`, requestHeaders, () => zeros(BODY), { timeoutMs: 20_000 })
    const after = await ask('measure')
    expect(answer.status).toBe(status)
    // What went out before the answer: at most the socket buffers (the router read nothing), or
    // the 16 MiB limit and those buffers; never the 400 MB. The RSS bound shows nothing was kept.
    const read = status === 413 && !('Content-Length' in requestHeaders) ? 16 * MB : 0
    expect(answer.sent).toBeLessThan(read + kernelBuffers + 4 * MB)
    expect((after.peak - before.rss) / MB).toBeLessThan(50)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await normalRequest()).id).toBe('chatcmpl-stress')
  })
})
