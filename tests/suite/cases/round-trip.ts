/** Chat completions through the real router handler, as a user of the package makes them. */
import { deepEqual, equal, ok } from '../assert.ts'
import { echoOf, fixtureClient, hello } from '../helpers.ts'
import type { Case } from '../types.ts'

const UNICODE = 'Grüße, 你好, مرحبا, नमस्ते, 🔐🧪👩🏽‍💻, e\u0301, "quotes" \\ back\\slash, \u2028 tab\t nul\u0000 end'

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

export const roundTripCases: Case[] = [
  {
    name: 'round trip: create() with the fixture key loaded by loadKeys(PEM)',
    async run(ctx) {
      const client = await fixtureClient(ctx)
      const answer = await client.create({ model: 'suite-model', messages: hello })
      equal(answer.choices[0]?.message.content, 'echo: hi', 'answer content')
      equal(answer.model, 'suite-model', 'model')
      equal(answer._metadata.is_encrypted, true, '_metadata.is_encrypted')
      equal(answer._metadata.encryption_algorithm, 'hybrid-aes256-rsa4096', '_metadata.encryption_algorithm')
      ok(typeof answer._metadata.payload_id === 'string' && answer._metadata.payload_id.length > 0, '_metadata.payload_id is set')
      equal(echoOf(answer).x_client_key, ctx.vectors.wire.client_public_key_spki_pem, 'X-Public-Key is the loaded public key')
      const same = await client.chat.completions.create({ model: 'suite-model', messages: hello })
      equal(same.choices[0]?.message.content, 'echo: hi', 'chat.completions.create() content')
    },
  },
  {
    name: 'round trip: a fresh client generates one key for concurrent first calls',
    slow: true,
    async run(ctx) {
      const client = new ctx.lib.SecureChatCompletion({ baseUrl: ctx.routerUrl, allowHttp: true, maxRetries: 0 })
      const answers = await Promise.all(
        [1, 2, 3].map((i) => client.create({ model: 'm', messages: [{ role: 'user', content: `call ${i}` }] })),
      )
      const { publicKeyPem } = await client.client.publicKey()
      ok(publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----'), 'publicKey() is an SPKI PEM')
      answers.forEach((answer, i) => {
        equal(answer.choices[0]?.message.content, `echo: call ${i + 1}`, `answer ${i + 1}`)
        equal(echoOf(answer).x_client_key, publicKeyPem, `call ${i + 1} was sealed for the client's one key`)
      })
    },
  },
  {
    name: 'round trip: unicode text arrives and returns unchanged',
    async run(ctx) {
      const client = await fixtureClient(ctx)
      const messages = [
        { role: 'system' as const, content: 'Réponds en français 🇫🇷' },
        { role: 'user' as const, content: UNICODE },
      ]
      const answer = await client.create({ model: 'modèle-ü', messages })
      equal(answer.choices[0]?.message.content, `echo: ${UNICODE}`, 'echoed content')
      deepEqual(echoOf(answer).x_request.messages, messages, 'messages the router decrypted')
      equal(answer.model, 'modèle-ü', 'model name')
    },
  },
  {
    name: 'round trip: tools and tool_choice reach the router; tool calls come back',
    async run(ctx) {
      const client = await fixtureClient(ctx)
      const tool_choice = { type: 'function' as const, function: { name: 'get_weather' } }
      const answer = await client.create({
        model: 'm',
        messages: [{ role: 'user', content: 'Weather in Zürich?' }],
        tools: [WEATHER_TOOL],
        tool_choice,
      })
      const sent = echoOf(answer).x_request
      deepEqual(sent.tools, [WEATHER_TOOL], 'tools the router decrypted')
      deepEqual(sent.tool_choice, tool_choice, 'tool_choice the router decrypted')
      const call = answer.choices[0]?.message.tool_calls?.[0]
      equal(answer.choices[0]?.finish_reason, 'tool_calls', 'finish_reason')
      equal(call?.function.name, 'get_weather', 'tool call name')
      deepEqual(JSON.parse(call?.function.arguments ?? 'null'), { echo: 'Weather in Zürich?' }, 'tool call arguments')
    },
  },
  {
    name: 'round trip: n > 1 returns every choice',
    async run(ctx) {
      const client = await fixtureClient(ctx)
      const answer = await client.create({ model: 'm', messages: hello, n: 3, temperature: 0.7 })
      deepEqual(
        answer.choices.map((choice) => choice.index),
        [0, 1, 2],
        'choice indexes',
      )
      equal(echoOf(answer).x_request.n, 3, 'n the router decrypted')
      equal(echoOf(answer).x_request.temperature, 0.7, 'temperature the router decrypted')
    },
  },
  {
    name: 'round trip: a 3 MiB request arrives whole, streamed where the runtime streams uploads, and its echo returns',
    async run(ctx) {
      const client = await fixtureClient(ctx)
      const content = `${UNICODE} ${'x'.repeat(3 * 1024 * 1024)} end`
      const answer = await client.create({ model: 'm', messages: [{ role: 'user', content }] })
      const echo = echoOf(answer)
      ok(
        echo.x_request.messages && JSON.stringify(echo.x_request.messages) === JSON.stringify([{ role: 'user', content }]),
        'the request the router decrypted',
      )
      ok(answer.choices[0]?.message.content === `echo: ${content}`, 'the answer, read into the request buffer where fetch read all of it')
      // Deno sends a streamed body chunked; Node sends one with its Content-Length; no other entry streams.
      equal(echo.x_upload, ctx.runtime.startsWith('deno') ? 'chunked' : 'length', 'request framing')
    },
  },
  {
    name: 'round trip: api key and security tier travel in headers, never in the payload',
    async run(ctx) {
      const client = await fixtureClient(ctx, { apiKey: 'sk-suite-client' })
      const answer = await client.create({ model: 'm', messages: hello, security_tier: 'high', stream: false })
      const echo = echoOf(answer)
      equal(echo.x_security_tier, 'high', 'X-Security-Tier')
      equal(echo.x_api_key, 'sk-suite-client', 'Authorization bearer')
      deepEqual(Object.keys(echo.x_request).sort(), ['messages', 'model', 'stream'], 'payload fields')
      equal(echo.x_request.stream, false, 'stream')
      const perCall = await client.create({ model: 'm', messages: hello, api_key: 'sk-suite-call' })
      equal(echoOf(perCall).x_api_key, 'sk-suite-call', 'per-call api_key')
      equal(echoOf(perCall).x_security_tier, null, 'no tier header when none is given')
    },
  },
]
