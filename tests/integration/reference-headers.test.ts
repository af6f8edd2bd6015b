/**
 * Our router takes `X-Public-Key` as the reference Python client sends it: `urllib.parse.quote(pem)`,
 * which leaves `/` unescaped, of a PEM whose trailing newline is stripped when the keys came from
 * files. (tests/interop holds the same check against the Python router.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/runtime/node.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

let router: TestRouter
beforeAll(async () => {
  router = await startRouter()
})
afterAll(() => router.close())

const pythonQuote = (pem: string) => encodeURIComponent(pem).replaceAll('%2F', '/')

describe('X-Public-Key in the reference client form', () => {
  it.each([
    ['newline stripped', (pem: string) => pythonQuote(pem.trimEnd())],
    ['newline kept', pythonQuote],
  ])('is accepted (%s) and the answer opens', async (_name, encode) => {
    const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
    await client.loadKeys(clientPem)
    const header = encode((await client.publicKey()).publicKeyPem)
    expect(header).toMatch(/[A-Za-z0-9+]\/[A-Za-z0-9+]/)
    const payloadId = crypto.randomUUID()
    const response = await fetch(`${router.url}/v1/chat/secure_completion`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Payload-ID': payloadId, 'X-Public-Key': header },
      body: await client.encryptPayload({ model: 'm', messages: [{ role: 'user', content: 'ref' }], stream: false }),
    })
    expect(response.status).toBe(200)
    const answer = await client.decryptResponse(new Uint8Array(await response.arrayBuffer()), payloadId)
    expect(answer.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'echo: ref' }, finish_reason: 'stop' }])
  })
})
