/**
 * The router declares its sealed answer's length, through the Node adapter as through any server: a
 * client then reads the answer into one buffer of the right size instead of growing one (without it,
 * a 10 MiB answer cost Deno's client 26 MiB more at its peak; docs/performance.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/client/secure-completion-client.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

let router: TestRouter
beforeAll(async () => {
  router = await startRouter()
})
afterAll(() => router.close())

describe('the sealed answer', () => {
  it.each([10, 300_000])('carries a Content-Length equal to its body (%i-character prompt)', async (size) => {
    const seen: Array<{ declared: string | null; actual: number }> = []
    const client = new SecureCompletionClient({
      routerUrl: router.url,
      allowHttp: true,
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        const body = new Uint8Array(await response.clone().arrayBuffer())
        seen.push({ declared: response.headers.get('content-length'), actual: body.length })
        return response
      },
    })
    await client.loadKeys(clientPem)
    const answer = await client.sendSecureRequest({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(size) }] })
    expect(answer.choices[0]?.message.content).toBe(`echo: ${'x'.repeat(size)}`)
    const sealedAnswer = seen[seen.length - 1]!
    expect(sealedAnswer.actual).toBeGreaterThan(size)
    expect(sealedAnswer.declared).toBe(String(sealedAnswer.actual))
  })
})
