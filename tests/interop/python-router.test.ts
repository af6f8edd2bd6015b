/**
 * Interop with an independent implementation of the wire format: a strict router and two small
 * scripts on Python `cryptography`, the reference Python client's stack (see python_router.py).
 *
 * Our client and our own router could share a misreading of DESIGN.md §1 and still pass every
 * test between them. Here the peer is written separately in another language and library, so a
 * drift in our format fails these tests. The negative controls at the end prove the Python side
 * does reject a wrong package; without them a permissive peer would make the rest meaningless.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureChatCompletion, SecureCompletionClient, type ChatCompletion, type ChatCompletionParams } from '../../src/runtime/node.js'

const keyPath = (name: string) => fileURLToPath(new URL(`../../../shared/vectors/keys/${name}`, import.meta.url))
const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url))

// The Python router's key (OpenSSL-made) and our client's key (Python-made), both RSA-2048: fast.
const ROUTER_KEY = keyPath('openssl-plain.pem')
const CLIENT_KEY = keyPath('python-cryptography-plain.pem')
const CLIENT_PUBLIC = keyPath('python-cryptography-public.pem')
const clientPem = readFileSync(CLIENT_KEY, 'utf8')

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

interface LogEntry {
  method: string
  path: string
  status: number
  ok: boolean
  detail: string | null
  headers?: {
    content_type: string
    payload_id: string
    public_key_pem: string
    authorization: string | null
    api_key: string | null
    security_tier: string | null
  }
  payload?: Record<string, unknown>
  plaintext_bytes?: number
}

/**
 * The first interpreter that has `cryptography`: PATH's python3 (pyenv here, cryptography 4x)
 * and Debian's /usr/bin/python3 (python3-cryptography 38). Missing both is a failure, not a skip:
 * a skipped interop suite would hide exactly the regression it exists for.
 */
function findPython(): { bin: string; version: string } {
  // An explicit choice is the only candidate, so a CI can pin the interpreter it means to test.
  const pinned = process.env.NOMYO_INTEROP_PYTHON
  const candidates = pinned ? [pinned] : ['python3', '/usr/bin/python3']
  const tried: string[] = []
  for (const bin of candidates) {
    const probe = spawnSync(bin, ['-c', 'import cryptography; print(cryptography.__version__)'], { encoding: 'utf8' })
    if (probe.status === 0) return { bin, version: probe.stdout.trim() }
    tried.push(`${bin}: ${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}`)
  }
  throw new Error(
    'The interop tests need python3 with the "cryptography" package (the reference Python client\'s stack), ' +
      'and none was found. Install it: apt-get install python3-cryptography (or pip install cryptography), ' +
      `or point NOMYO_INTEROP_PYTHON at an interpreter that has it. Tried: ${tried.join('; ')}`,
  )
}

let python: { bin: string; version: string }
let router: ChildProcess | undefined
let routerStderr = ''
let baseUrl = ''
let workDir = ''
let logPath = ''
let chat: SecureChatCompletion
/** Payload ids of the hand-made bad packages: the only requests the Python router may reject. */
const expectedRejects = new Set<string>()
/** Payload ids of every request our client made, to check none went unlogged. */
const clientRequests = new Set<string>()

function startRouter(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python.bin, ['-B', script('python_router.py'), '--key', ROUTER_KEY, '--log', logPath, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    router = child
    const timer = setTimeout(
      () => reject(new Error(`python_router.py did not print its port within 10 s. stderr: ${routerStderr}`)),
      10_000,
    )
    let out = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (routerStderr += chunk))
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const newline = out.indexOf('\n')
      if (newline < 0) return
      clearTimeout(timer)
      const port = Number(out.slice(0, newline).trim())
      if (Number.isInteger(port) && port > 0) resolve(`http://127.0.0.1:${port}`)
      else reject(new Error(`python_router.py printed ${JSON.stringify(out.slice(0, newline))} instead of a port`))
    })
    child.on('error', (error) => reject(error))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`python_router.py exited early (code ${code}, signal ${signal}). stderr: ${routerStderr}`))
    })
  })
}

function readLog(): LogEntry[] {
  return readFileSync(logPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry)
}

function logged(payloadId: string): LogEntry {
  const entries = readLog().filter((entry) => entry.headers?.payload_id === payloadId)
  expect(entries, `Python router log entries for ${payloadId}`).toHaveLength(1)
  return entries[0]!
}

/** Asserts the Python router accepted the request behind `answer` and decrypted exactly `sent`. */
function expectAccepted(answer: ChatCompletion, sent: Record<string, unknown>): LogEntry {
  const id = answer._metadata.payload_id
  expect(id).toMatch(UUID)
  clientRequests.add(id)
  const entry = logged(id)
  expect(entry.detail, 'Python router validation result').toBeNull()
  expect(entry.ok).toBe(true)
  expect(entry.status).toBe(200)
  expect(entry.headers!.content_type).toBe('application/octet-stream')
  expect(entry.payload).toEqual(sent)
  expect(entry.payload!.stream).toBe(false)
  for (const field of ['api_key', 'security_tier', 'base_url']) expect(entry.payload).not.toHaveProperty(field)
  expect(answer._metadata).toMatchObject({ is_encrypted: true, encryption_algorithm: 'hybrid-aes256-rsa4096' })
  expect(typeof answer._metadata.processed_at).toBe('string')
  return entry
}

/** What create() must put in the plaintext: the params less the per-call options, stream false. */
function expectedPayload(params: ChatCompletionParams): Record<string, unknown> {
  const { api_key: _k, base_url: _b, security_tier: _t, ...rest } = params
  return { ...rest, stream: false }
}

function runPython(name: string, args: string[], input: Uint8Array | string): { stdout: Buffer; stderr: string } {
  const result = spawnSync(python.bin, ['-B', script(name), ...args], { input, maxBuffer: 64 * 1024 * 1024 })
  if (result.error) throw result.error
  const stderr = result.stderr.toString('utf8')
  if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${stderr}`)
  return { stdout: result.stdout, stderr }
}

/** A string of at least `bytes` UTF-8 bytes mixing 1- to 4-byte characters and JSON escapes. */
function bigText(bytes: number): string {
  const unit = 'Lorem ipsum "quoted" \\ tab\t line\n ü ß € 漢字 かな 😀 🔐 '
  const unitBytes = encoder.encode(unit).length
  return unit.repeat(Math.ceil(bytes / unitBytes))
}

beforeAll(async () => {
  python = findPython()
  workDir = mkdtempSync(join(tmpdir(), 'nomyo-interop-'))
  logPath = join(workDir, 'requests.jsonl')
  baseUrl = await startRouter()
  // No retries: a rejection must surface at once, not after backoff.
  chat = new SecureChatCompletion({ baseUrl, allowHttp: true, maxRetries: 0 })
  await chat.client.loadKeys(clientPem)
})

afterAll(async () => {
  const child = router
  if (child && child.exitCode === null && child.signalCode === null) {
    child.removeAllListeners('exit')
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

describe('our client against the Python router', () => {
  it('serves its public key as SPKI PEM that our client fetches', async () => {
    const pem = await chat.client.fetchServerPublicKey()
    expect(pem).toBe(readFileSync(keyPath('openssl-public.pem'), 'utf8'))
  })

  it('plain round trip; no Authorization or X-Security-Tier when none is set', async () => {
    const params: ChatCompletionParams = {
      model: 'Qwen/Qwen3-0.6B',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hello' },
      ],
      temperature: 0.2,
      max_tokens: 16,
      top_p: 0.9,
      stop: ['\n\n'],
      user: 'interop',
    }
    const answer = await chat.create(params)
    expect(answer.choices).toHaveLength(1)
    expect(answer.choices[0]!.message.content).toBe('echo: hello')
    expect(answer.object).toBe('chat.completion')
    const entry = expectAccepted(answer, expectedPayload(params))
    expect(entry.headers!.authorization).toBeNull()
    expect(entry.headers!.security_tier).toBeNull()
    expect(entry.headers!.public_key_pem).toBe((await chat.client.publicKey()).publicKeyPem)
    expect(entry.headers!.public_key_pem.trim()).toBe(readFileSync(CLIENT_PUBLIC, 'utf8').trim())
  })

  it('unicode round trip (emoji, CJK, quotes, newlines, control characters)', async () => {
    const content =
      'emoji 😀🔐👩‍👩‍👧‍👦 CJK 漢字かな한국어 RTL שלום مرحبا "double" \'single\' „low“ «guillemets» ' +
      'back\\slash\nnewline\r\nCRLF\ttab \u2028\u2029 nul\u0000 bell\u0007 ß€'
    const params: ChatCompletionParams = { model: 'm-ünï', messages: [{ role: 'user', content, name: 'José' }] }
    const answer = await chat.create(params)
    expect(answer.choices[0]!.message.content).toBe(`echo: ${content}`)
    expect(answer.model).toBe('m-ünï')
    expectAccepted(answer, expectedPayload(params))
  })

  it('tools and tool_choice pass through; a tool call comes back', async () => {
    const params: ChatCompletionParams = {
      model: 'm',
      messages: [{ role: 'user', content: 'weather in Zürich?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['C', 'F'] } },
              required: ['city'],
            },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    }
    const answer = await chat.create(params)
    const choice = answer.choices[0]!
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.tool_calls?.[0]?.function.name).toBe('get_weather')
    expect(JSON.parse(choice.message.tool_calls![0]!.function.arguments)).toEqual({ echo: 'weather in Zürich?' })
    expectAccepted(answer, expectedPayload(params))
  })

  it('n: 2 gives two choices', async () => {
    const params: ChatCompletionParams = { model: 'm', messages: [{ role: 'user', content: 'twice' }], n: 2 }
    const answer = await chat.create(params)
    expect(answer.choices.map((c) => c.index)).toEqual([0, 1])
    expect(answer.choices.map((c) => c.message.content)).toEqual(['echo: twice', 'echo: twice'])
    expect(expectAccepted(answer, expectedPayload(params)).payload!.n).toBe(2)
  })

  it("security_tier: 'high' travels only in X-Security-Tier", async () => {
    const params: ChatCompletionParams = { model: 'm', messages: [{ role: 'user', content: 'tier' }], security_tier: 'high' }
    const answer = await chat.create(params)
    const entry = expectAccepted(answer, expectedPayload(params))
    expect(entry.headers!.security_tier).toBe('high')
    expect(JSON.stringify(entry.payload)).not.toContain('security_tier')
  })

  it('a per-call api_key travels only in Authorization: Bearer (and base_url nowhere)', async () => {
    const apiKey = 'sk-interop-per-call-7f3a9c'
    const params: ChatCompletionParams = {
      model: 'm',
      messages: [{ role: 'user', content: 'key' }],
      api_key: apiKey,
      base_url: baseUrl,
    }
    const answer = await chat.create(params)
    const entry = expectAccepted(answer, expectedPayload(params))
    expect(entry.headers!.authorization).toBe(`Bearer ${apiKey}`)
    expect(JSON.stringify(entry.payload)).not.toContain(apiKey)
    expect(JSON.stringify(entry.payload)).not.toContain(baseUrl)
  })

  it('a 1 MiB message round trip', async () => {
    const content = bigText(1024 * 1024)
    const params: ChatCompletionParams = { model: 'm', messages: [{ role: 'user', content }] }
    const answer = await chat.create(params)
    expect(answer.choices[0]!.message.content === `echo: ${content}`, 'the 1 MiB echo came back intact').toBe(true)
    const entry = expectAccepted(answer, expectedPayload(params))
    expect(entry.plaintext_bytes).toBeGreaterThan(1024 * 1024)
  })
})

describe('packages across the two implementations', () => {
  it('encryptPayload() output opens with Python cryptography, byte for byte', async () => {
    const client = new SecureCompletionClient({ routerUrl: baseUrl, allowHttp: true, maxRetries: 0 })
    const small = { model: 'm', messages: [{ role: 'user', content: 'grüße 😀 "q"\n漢字' }], temperature: 0, stream: false }
    const large = { model: 'm', messages: [{ role: 'user', content: bigText(1024 * 1024) }], stream: false }
    for (const payload of [small, large]) {
      const sealed = await client.encryptPayload(payload)
      const { stdout } = runPython('open_package.py', [ROUTER_KEY], sealed)
      const text = decoder.decode(stdout)
      expect(text === JSON.stringify(payload), 'plaintext bytes equal JSON.stringify(payload)').toBe(true)
      expect(JSON.parse(text)).toEqual(payload)
    }
    // Fresh AES key and nonce per package: two seals of one payload share neither.
    const [a, b] = await Promise.all([client.encryptPayload(small), client.encryptPayload(small)])
    const pa = JSON.parse(decoder.decode(a))
    const pb = JSON.parse(decoder.decode(b))
    expect(pa.encrypted_payload.nonce).not.toBe(pb.encrypted_payload.nonce)
    expect(pa.encrypted_aes_key).not.toBe(pb.encrypted_aes_key)
  })

  it.each([
    ['a few hundred bytes', 300],
    ['2 MiB', 2 * 1024 * 1024],
  ])('packages sealed by Python open with decryptResponse() (%s)', async (_name, size) => {
    const completion = {
      id: 'chatcmpl-py',
      object: 'chat.completion',
      created: 1764000000,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: bigText(size) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    }
    const processedAt = '2026-05-01T12:00:00+00:00'
    const { stdout } = runPython('seal_package.py', [CLIENT_PUBLIC, processedAt], JSON.stringify(completion))
    const payloadId = crypto.randomUUID()
    const opened = await chat.client.decryptResponse(new Uint8Array(stdout), payloadId)
    expect(opened).toEqual({
      ...completion,
      _metadata: { payload_id: payloadId, processed_at: processedAt, is_encrypted: true, encryption_algorithm: 'hybrid-aes256-rsa4096' },
    })
  })
  it('a Python-sealed {"ok": true} opens with decryptResponse() as it is (any JSON object, like the reference)', async () => {
    const processedAt = '2026-05-02T08:00:00+00:00'
    const { stdout } = runPython('seal_package.py', [CLIENT_PUBLIC, processedAt], '{"ok": true}')
    const payloadId = crypto.randomUUID()
    const opened = await chat.client.decryptResponse(new Uint8Array(stdout), payloadId)
    expect(opened).toEqual({
      ok: true,
      _metadata: { payload_id: payloadId, processed_at: processedAt, is_encrypted: true, encryption_algorithm: 'hybrid-aes256-rsa4096' },
    })
  })
})

describe('X-Public-Key as the reference client sends it', () => {
  /** Python's urllib.parse.quote (safe "/"), what the reference client puts in the header. */
  const pythonQuote = (pem: string) => encodeURIComponent(pem).replaceAll('%2F', '/')

  it.each([
    ['keys loaded from files: "/" unescaped, trailing newline stripped', (pem: string) => pythonQuote(pem.trimEnd())],
    ['keys generated in memory: "/" unescaped, newline kept', (pem: string) => pythonQuote(pem)],
  ])('the Python router accepts it (%s) and our client opens the answer', async (_name, encode) => {
    const client = new SecureCompletionClient({ routerUrl: baseUrl, allowHttp: true, maxRetries: 0 })
    await client.loadKeys(clientPem)
    const { publicKeyPem } = await client.publicKey()
    const header = encode(publicKeyPem)
    // The exact form: slashes of the base64 body are there in clear, and nothing else is.
    expect(header).toContain('/')
    expect(header).not.toContain('%2F')
    expect(decodeURIComponent(header)).toBe(header === pythonQuote(publicKeyPem) ? publicKeyPem : publicKeyPem.trimEnd())
    const payloadId = crypto.randomUUID()
    const payload = { model: 'm', messages: [{ role: 'user', content: 'reference header' }], stream: false }
    const response = await fetch(`${baseUrl}/v1/chat/secure_completion`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Payload-ID': payloadId, 'X-Public-Key': header },
      body: await client.encryptPayload(payload),
    })
    expect(response.status).toBe(200)
    const answer = await client.decryptResponse(new Uint8Array(await response.arrayBuffer()), payloadId)
    expect((answer.choices as Array<{ message: { content: string } }>)[0]!.message.content).toBe('echo: reference header')
    clientRequests.add(payloadId)
    expect(logged(payloadId)).toMatchObject({ ok: true, payload })
  })
})

describe('negative controls: the Python router rejects wrong packages', () => {
  const b64 = (bytes: ArrayBuffer | Uint8Array) =>
    Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64')
  const b64url = (bytes: ArrayBuffer | Uint8Array) =>
    Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url')

  type Variant =
    | 'correct'
    | 'tag-inside-no-tag-field'
    | 'tag-inside-and-tag-field'
    | 'oaep-sha1'
    | 'base64url-unpadded'
    | 'api-key-in-payload'

  /** A package built by hand with crypto.subtle, independently of src/, with one deliberate defect. */
  async function handSeal(variant: Variant): Promise<Uint8Array> {
    const spki = readFileSync(keyPath('openssl-public.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, '')
    const hash = variant === 'oaep-sha1' ? 'SHA-1' : 'SHA-256'
    const routerKey = await crypto.subtle.importKey('spki', Buffer.from(spki, 'base64'), { name: 'RSA-OAEP', hash }, false, ['encrypt'])
    const aesKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
    const nonce = crypto.getRandomValues(new Uint8Array(12))
    const body: Record<string, unknown> = { model: 'm', messages: [{ role: 'user', content: 'control' }], stream: false }
    if (variant === 'api-key-in-payload') body.api_key = 'sk-should-be-a-header'
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, aesKey, encoder.encode(JSON.stringify(body))))
    const wrapped = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, routerKey, await crypto.subtle.exportKey('raw', aesKey))
    const ciphertext = sealed.subarray(0, -16)
    const tag = sealed.subarray(-16)
    const enc = variant === 'base64url-unpadded' ? b64url : b64
    const encrypted_payload: Record<string, string> =
      variant === 'tag-inside-no-tag-field'
        ? { ciphertext: b64(sealed), nonce: b64(nonce) }
        : variant === 'tag-inside-and-tag-field'
          ? { ciphertext: b64(sealed), nonce: b64(nonce), tag: b64(tag) }
          : { ciphertext: enc(ciphertext), nonce: enc(nonce), tag: enc(tag) }
    return encoder.encode(
      JSON.stringify({
        version: '1.0',
        algorithm: 'hybrid-aes256-rsa4096',
        encrypted_payload,
        encrypted_aes_key: enc(wrapped),
        key_algorithm: 'RSA-OAEP-SHA256',
        payload_algorithm: 'AES-256-GCM',
      }),
    )
  }

  async function post(variant: Variant) {
    const payloadId = crypto.randomUUID()
    const response = await fetch(`${baseUrl}/v1/chat/secure_completion`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-Payload-ID': payloadId,
        'X-Public-Key': encodeURIComponent((await chat.client.publicKey()).publicKeyPem),
      },
      body: await handSeal(variant),
    })
    return { payloadId, status: response.status, body: new Uint8Array(await response.arrayBuffer()) }
  }

  it('the hand-made package without a defect is accepted (so the rejections below are the defects)', async () => {
    const { payloadId, status, body } = await post('correct')
    expect(status).toBe(200)
    const answer = await chat.client.decryptResponse(body, payloadId)
    expect(answer.choices[0]!.message.content).toBe('echo: control')
    expect(logged(payloadId).ok).toBe(true)
  })

  it.each<[Variant, RegExp]>([
    // What the official JS port sends: WebCrypto's ciphertext||tag, unsplit.
    ['tag-inside-no-tag-field', /encrypted_payload keys/],
    ['tag-inside-and-tag-field', /authentication failed/],
    ['oaep-sha1', /unwrap failed/],
    ['base64url-unpadded', /base64/],
    ['api-key-in-payload', /api_key/],
  ])('%s → 400', async (variant, reason) => {
    const { payloadId, status, body } = await post(variant)
    expectedRejects.add(payloadId)
    expect(status).toBe(400)
    const detail = JSON.parse(decoder.decode(body)).detail
    expect(detail).toMatch(reason)
    const entry = logged(payloadId)
    expect(entry.ok).toBe(false)
    expect(entry.detail).toBe(detail)
  })
})

describe('the Python router log', () => {
  it('every request of our client passed strict validation; only the controls were rejected', () => {
    const posts = readLog().filter((entry) => entry.method === 'POST')
    const rejected = posts.filter((entry) => !entry.ok)
    for (const entry of rejected) {
      expect(expectedRejects.has(entry.headers?.payload_id ?? ''), `unexpected rejection: ${entry.detail}`).toBe(true)
    }
    for (const id of clientRequests) expect(posts.some((entry) => entry.ok && entry.headers?.payload_id === id)).toBe(true)
    expect(clientRequests.size).toBeGreaterThanOrEqual(7)
    expect(routerStderr, 'Python router stderr').toBe('')
  })
})
