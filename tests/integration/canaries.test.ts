/**
 * Leak canaries: a secret prompt, a secret answer, an API key and a key password go through every
 * failure path; none may appear in an error's message, stack, details, cause chain, JSON or string
 * form, nor in a log line with logging on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SecureChatCompletion, SecureCompletionClient, NomyoError } from '../../src/runtime/node.js'
import { seal } from '../../src/crypto/hybrid.js'
import { importPublicKeyPem, generateRsaKeyPair } from '../../src/crypto/rsa.js'
import { encodePackage } from '../../src/protocol/package.js'
import { exportPrivateKeyPem } from '../../src/crypto/pkcs8.js'
import { startRouter, type TestRouter } from '../helpers/router.js'
import { clientPem } from '../helpers/keys.js'
import { serve } from '../../src/runtime/node-server.js'

const SECRET_PROMPT = 'CANARY-PROMPT-patient-has-condition-7f3a'
const SECRET_ANSWER = 'CANARY-ANSWER-diagnosis-91bc'
const API_KEY = 'sk-CANARY-APIKEY-55d1'
const PASSWORD = 'CANARY-PASSWORD-0e9d'
const CANARIES = [SECRET_PROMPT, SECRET_ANSWER, API_KEY, PASSWORD]
const PRIVATE_KEY_BODY = clientPem.split('\n')[5]!

const logs: string[] = []
const logger = { debug: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) }

/** Everything an error exposes, flattened to text. */
function exposed(error: unknown, depth = 0): string {
  if (depth > 5 || error === undefined || error === null) return ''
  if (typeof error !== 'object') return String(error)
  const e = error as Error & { details?: unknown; cause?: unknown }
  return [String(e), e.message, e.stack, JSON.stringify(e), JSON.stringify(e.details ?? null), exposed(e.cause, depth + 1)].join('\n')
}

function expectClean(error: unknown) {
  expect(error).toBeInstanceOf(Error)
  const text = exposed(error)
  for (const canary of [...CANARIES, PRIVATE_KEY_BODY]) expect(text).not.toContain(canary)
}

/** A sealed answer with arbitrary plaintext, sealed to the requesting client. */
async function sealedAnswer(request: Request, plaintext: string): Promise<Response> {
  const clientKey = await importPublicKeyPem(decodeURIComponent(request.headers.get('x-public-key')!))
  return new Response(encodePackage(await seal(new TextEncoder().encode(plaintext), clientKey)) as BodyInit, { status: 200 })
}

let next: ((request: Request) => Response | Promise<Response>) | undefined
let router: TestRouter
beforeAll(async () => {
  router = await startRouter({ before: (r) => (r.method === 'POST' && next ? next(r) : undefined) })
})
afterAll(() => router.close())

async function failWith(respond: typeof next, options: Record<string, unknown> = {}, requestOptions = {}) {
  next = respond
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, apiKey: API_KEY, maxRetries: 1, logger, ...options })
  await client.client.loadKeys(clientPem)
  const error = await client
    .create({ model: 'm', messages: [{ role: 'user', content: SECRET_PROMPT }] }, requestOptions)
    .catch((e: unknown) => e)
  next = undefined
  return error
}

describe('no secret in any error or log line', () => {
  it.each([401, 403, 429, 500, 503])('HTTP %i', async (status) => {
    expectClean(await failWith(() => new Response(JSON.stringify({ detail: 'nope' }), { status, headers: { 'retry-after': '0' } })))
  })

  it('answer that is not JSON after decryption', async () => {
    expectClean(await failWith((r) => sealedAnswer(r, `not json ${SECRET_ANSWER}`)))
  })

  it('answer that is JSON but not a completion', async () => {
    expectClean(await failWith((r) => sealedAnswer(r, JSON.stringify({ text: SECRET_ANSWER }))))
  })

  it('answer sealed to another key', async () => {
    const other = await generateRsaKeyPair(2048)
    expectClean(
      await failWith(
        async () => new Response(encodePackage(await seal(new TextEncoder().encode(SECRET_ANSWER), other.publicKey)) as BodyInit),
      ),
    )
  })

  it('malformed package', async () => {
    expectClean(await failWith(() => new Response(`{"version":"1.0","note":"${SECRET_ANSWER}"}`)))
  })

  it('timeout and abort', async () => {
    expectClean(await failWith(() => new Promise<Response>(() => {}), { timeout: 100 }))
    expectClean(await failWith(() => new Promise<Response>(() => {}), {}, { signal: AbortSignal.timeout(100) }))
  })

  it('connection refused', async () => {
    const closed = await serve(async () => new Response(''))
    await closed.close()
    const client = new SecureChatCompletion({ baseUrl: closed.url, allowHttp: true, apiKey: API_KEY, maxRetries: 0, logger })
    expectClean(await client.create({ model: 'm', messages: [{ role: 'user', content: SECRET_PROMPT }] }).catch((e: unknown) => e))
  })

  it('caller mistakes', async () => {
    const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, apiKey: API_KEY })
    const bad = [
      { model: 'm', messages: [{ role: 'user', content: SECRET_PROMPT }], security_tier: SECRET_PROMPT },
      { model: 'm', messages: [{ role: 'user', content: SECRET_PROMPT.repeat(400_000) }] },
      { messages: [{ role: 'user', content: SECRET_PROMPT }] },
    ]
    for (const params of bad) expectClean(await client.create(params as never).catch((e: unknown) => e))
    expectClean(
      (() => {
        try {
          new SecureChatCompletion({ apiKey: `${API_KEY}\n` })
        } catch (e) {
          return e
        }
      })(),
    )
  })

  it('wrong key password', async () => {
    const pair = await generateRsaKeyPair(2048, true)
    const pem = await exportPrivateKeyPem(pair.privateKey, PASSWORD)
    const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
    expectClean(await client.loadKeys(pem, undefined, `${PASSWORD}-wrong`).catch((e: unknown) => e))
    expectClean(await client.loadKeys(pem).catch((e: unknown) => e))
    expectClean(await client.loadKeys(pem.replace(/[A-Z]{10}/, 'AAAAAAAAAA'), undefined, PASSWORD).catch((e: unknown) => e))
  })

  it('every error thrown is a documented class', async () => {
    const error = await failWith((r) => sealedAnswer(r, SECRET_ANSWER))
    expect(error).toBeInstanceOf(NomyoError)
  })

  it('log lines (logging on) carry no secret', () => {
    expect(logs.length).toBeGreaterThan(0)
    for (const line of logs) for (const canary of CANARIES) expect(line).not.toContain(canary)
  })

  it('the library source never writes to the console (outside doc examples)', () => {
    // src/cli holds the command-line programs, whose output is their job; the library is the rest.
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('cli/'))
    expect(files.length).toBeGreaterThan(20)
    const offenders = files.flatMap((file) =>
      readFileSync(join('src', file), 'utf8')
        .split('\n')
        .filter((line) => /\bconsole\./.test(line) && !/^\s*(\*|\/\/)/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    )
    expect(offenders).toEqual([])
  })
})
