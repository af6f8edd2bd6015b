/** What a user does with SecureChatCompletion against a real router on 127.0.0.1, and what goes over the wire. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureChatCompletion } from '../../src/runtime/node.js'
import { startRouter, type TestRouter } from '../helpers/router.js'
import { clientPem, clientPublicPem } from '../helpers/keys.js'

let router: TestRouter
let wire: Array<{ headers: Headers; body: string }>
let client: SecureChatCompletion

beforeAll(async () => {
  wire = []
  router = await startRouter({
    before: async (request) => {
      if (request.method === 'POST') wire.push({ headers: request.headers, body: await request.clone().text() })
      return undefined
    },
    complete: async (body) => {
      const messages = body.messages as Array<{ content: string }>
      const last = messages[messages.length - 1]!.content
      const n = typeof body.n === 'number' ? body.n : 1
      const tools = body.tools as unknown[] | undefined
      return {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: String(body.model),
        choices: Array.from({ length: n }, (_, index) => ({
          index,
          message: tools
            ? {
                role: 'assistant',
                content: null,
                tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
              }
            : { role: 'assistant', content: last },
          finish_reason: tools ? 'tool_calls' : 'stop',
        })),
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }
    },
  })
  client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, apiKey: 'sk-client-key' })
  await client.client.loadKeys(clientPem)
})
afterAll(() => router.close())

const ask = (content: string, extra: Record<string, unknown> = {}) =>
  client.create({ model: 'test-model', messages: [{ role: 'user', content }], ...extra })

describe('round trips', () => {
  it('answers a plain question and adds _metadata', async () => {
    const answer = await ask('What is the capital of France?')
    expect(answer.choices[0]!.message.content).toBe('What is the capital of France?')
    expect(answer._metadata).toMatchObject({ is_encrypted: true, encryption_algorithm: 'hybrid-aes256-rsa4096' })
    expect(answer._metadata.payload_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(typeof answer._metadata.processed_at).toBe('number')
  })

  it('keeps unicode intact both ways', async () => {
    const text = 'Grüße, 你好, emoji 🔐, "quotes" \\ backslash\nnew line \u2028 \u0000'
    expect((await ask(text)).choices[0]!.message.content).toBe(text)
  })

  it('passes tools through and returns tool calls', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ]
    const answer = await ask('Weather in Paris?', { tools, tool_choice: 'auto' })
    expect(answer.choices[0]!.finish_reason).toBe('tool_calls')
    expect(answer.choices[0]!.message.tool_calls![0]!.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' })
    expect(router.requests.at(-1)!.body).toMatchObject({ tools, tool_choice: 'auto' })
  })

  it('returns every choice for n > 1', async () => {
    const answer = await ask('twice', { n: 3 })
    expect(answer.choices.map((c) => c.index)).toEqual([0, 1, 2])
  })

  it('round-trips 2 MiB', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024)
    expect((await ask(big)).choices[0]!.message.content).toBe(big)
  })

  it('round-trips text whose UTF-8 outgrows the room kept for its package (3 bytes per character)', async () => {
    // CJK is 3 UTF-8 bytes per character, more than the 4/3 the package needs: the other path.
    const wide = '你好世界🔐'.repeat(50_000)
    expect((await ask(wide)).choices[0]!.message.content).toBe(wide)
  })

  it('round-trips 1 MiB of mostly ASCII with one character beyond it at the very end', async () => {
    const almostAscii = `${'a'.repeat(1024 * 1024)}é`
    expect((await ask(almostAscii)).choices[0]!.message.content).toBe(almostAscii)
  })

  it('acreate and chat.completions.create are the same call', async () => {
    expect((await client.acreate({ model: 'm', messages: [{ role: 'user', content: 'a' }] })).choices[0]!.message.content).toBe('a')
    expect(
      (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'b' }] })).choices[0]!.message.content,
    ).toBe('b')
  })
})

describe('what goes over the wire', () => {
  it('sends the package with the documented headers and no plaintext', async () => {
    await ask('top secret diagnosis', {
      temperature: 0.2,
      max_tokens: 5,
      top_p: 0.9,
      frequency_penalty: 0,
      presence_penalty: 0,
      stop: ['\n'],
      user: 'u1',
      security_tier: 'high',
    })
    const { headers, body } = wire.at(-1)!
    expect(headers.get('content-type')).toBe('application/octet-stream')
    expect(headers.get('authorization')).toBe('Bearer sk-client-key')
    expect(headers.get('x-security-tier')).toBe('high')
    expect(decodeURIComponent(headers.get('x-public-key')!)).toBe(clientPublicPem.trim() + '\n')
    expect(headers.get('x-public-key')).not.toMatch(/[\n ]/)
    expect(body).not.toContain('top secret')
    const pkg = JSON.parse(body)
    expect(Object.keys(pkg)).toEqual([
      'version',
      'algorithm',
      'encrypted_payload',
      'encrypted_aes_key',
      'key_algorithm',
      'payload_algorithm',
      // Our router advertises key binding: one extra field (SECURITY.md); tests/interop shows the
      // reference format unchanged against a router that does not.
      'key_binding',
    ])
    expect(Object.keys(pkg.encrypted_payload)).toEqual(['ciphertext', 'nonce', 'tag'])
    expect(atob(pkg.encrypted_payload.nonce)).toHaveLength(12)
    expect(atob(pkg.encrypted_payload.tag)).toHaveLength(16)
    // The router key in the tests is RSA-2048: the wrapped key is one modulus long.
    expect(atob(pkg.encrypted_aes_key)).toHaveLength(256)
    const seen = router.requests.at(-1)!
    expect(seen.tier).toBe('high')
    expect(seen.body).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'top secret diagnosis' }],
      temperature: 0.2,
      max_tokens: 5,
      top_p: 0.9,
      frequency_penalty: 0,
      presence_penalty: 0,
      stop: ['\n'],
      user: 'u1',
      stream: false,
    })
  })

  it('uses a fresh AES key and nonce for every package', async () => {
    await ask('same')
    await ask('same')
    const [a, b] = wire.slice(-2).map((w) => JSON.parse(w.body))
    expect(a.encrypted_payload.nonce).not.toBe(b.encrypted_payload.nonce)
    expect(a.encrypted_aes_key).not.toBe(b.encrypted_aes_key)
    expect(a.encrypted_payload.ciphertext).not.toBe(b.encrypted_payload.ciphertext)
  })

  it('moves per-call api_key and security_tier to headers and forces stream: false', async () => {
    await ask('hi', { api_key: 'sk-per-call', security_tier: 'maximum', stream: true })
    expect(wire.at(-1)!.headers.get('authorization')).toBe('Bearer sk-per-call')
    const seen = router.requests.at(-1)!
    expect(seen.body).not.toHaveProperty('api_key')
    expect(seen.body).not.toHaveProperty('security_tier')
    expect(seen.body.stream).toBe(false)
    expect(seen.tier).toBe('maximum')
  })

  it('sends no Authorization and no tier header when none is set', async () => {
    const anonymous = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true })
    await anonymous.client.loadKeys(clientPem)
    await anonymous.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
    expect(wire.at(-1)!.headers.has('authorization')).toBe(false)
    expect(wire.at(-1)!.headers.has('x-security-tier')).toBe(false)
  })

  it('reaches another router through a per-call base_url with the same client key', async () => {
    const keysSeen: string[] = []
    const other = await startRouter({
      before: (request) => void keysSeen.push(decodeURIComponent(request.headers.get('x-public-key') ?? '')),
    })
    try {
      await ask('elsewhere', { base_url: other.url })
      expect(other.requests).toHaveLength(1)
      expect(keysSeen.filter(Boolean)).toEqual([clientPublicPem.trim() + '\n'])
    } finally {
      await other.close()
    }
  })
})

describe('caller mistakes fail before anything is sent', () => {
  it.each([
    ['missing model', { messages: [{ role: 'user', content: 'x' }] }, TypeError, /model/],
    ['missing messages', { model: 'm' }, TypeError, /messages/],
    ['empty messages', { model: 'm', messages: [] }, TypeError, /messages/],
    [
      'unknown security tier',
      { model: 'm', messages: [{ role: 'user', content: 'x' }], security_tier: 'ultra' },
      TypeError,
      /security_tier/,
    ],
    ['API key with a line break', { model: 'm', messages: [{ role: 'user', content: 'x' }], api_key: 'a\nb' }, TypeError, /api_key/],
    ['more than 10 MiB', { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] }, RangeError, /10 MiB/],
  ])('%s', async (_name, params, ErrorClass, message) => {
    const posts = wire.length
    await expect(client.create(params as never)).rejects.toThrow(ErrorClass)
    await expect(client.create(params as never)).rejects.toThrow(message)
    expect(wire.length).toBe(posts)
  })
})
