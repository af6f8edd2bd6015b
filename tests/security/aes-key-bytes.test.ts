/**
 * SECURITY.md, "secureMemory is best effort": the AES keys never exist as bytes in JavaScript. A
 * whole exchange (client and router in this process, so both sides are watched) may only make AES
 * keys inside WebCrypto and move them wrapped: no `exportKey`, no RSA-OAEP `encrypt`/`decrypt` of
 * raw key bytes, no `importKey('raw', …)` of an AES key. Node's streaming AES-GCM takes the key as a
 * handle (`KeyObject.from`), which this test lets through, and must not warn.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { SecureCompletionClient } from '../../src/client/secure-completion-client.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

let router: TestRouter
beforeAll(async () => {
  router = await startRouter()
})
afterAll(() => router.close())

const algorithmName = (algorithm: unknown) =>
  typeof algorithm === 'string' ? algorithm : ((algorithm as { name?: string } | undefined)?.name ?? '?')

describe('AES keys stay inside WebCrypto', () => {
  it.each([100, 2_000_000])('through a whole exchange of a %i-character prompt', async (size) => {
    const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
    await client.loadKeys(clientPem)
    await client.sendSecureRequest({ model: 'm', messages: [{ role: 'user', content: 'warm-up' }] })

    const subtle = globalThis.crypto.subtle
    const calls: string[] = []
    const spies = (['exportKey', 'encrypt', 'decrypt', 'importKey', 'wrapKey', 'unwrapKey', 'generateKey'] as const).map((method) =>
      vi.spyOn(subtle, method).mockImplementation(function (this: SubtleCrypto, ...args: unknown[]) {
        // importKey/exportKey: the format, then the algorithm (importKey's third argument); the others: the algorithm.
        const keyFormat = method === 'importKey' || method === 'exportKey'
        calls.push(keyFormat ? `${method} ${String(args[0])} ${algorithmName(args[2])}` : `${method} ${algorithmName(args[0])}`)
        // biome-ignore lint/suspicious/noExplicitAny: forwarding whatever was passed.
        return (SubtleCrypto.prototype[method] as any).apply(this, args)
      }),
    )
    const warn = vi.spyOn(process, 'emitWarning')
    try {
      const answer = await client.sendSecureRequest({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(size) }] })
      expect(answer.choices[0]?.message.content).toBe(`echo: ${'x'.repeat(size)}`)
    } finally {
      for (const spy of spies) spy.mockRestore()
      warn.mockRestore()
    }
    // Two packages (request and answer): each a fresh key, generated inside WebCrypto, moved wrapped.
    expect(calls.filter((call) => call === 'generateKey AES-GCM')).toHaveLength(2)
    expect(calls.filter((call) => call.startsWith('wrapKey'))).toHaveLength(2)
    expect(calls.filter((call) => call.startsWith('unwrapKey'))).toHaveLength(2)
    expect(calls.filter((call) => call.startsWith('exportKey'))).toEqual([])
    expect(calls.filter((call) => /^(en|de)crypt RSA-OAEP/.test(call))).toEqual([])
    expect(calls.filter((call) => /^importKey raw/.test(call))).toEqual([])
    expect(warn).not.toHaveBeenCalled()
  })
})
