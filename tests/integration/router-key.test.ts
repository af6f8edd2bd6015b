/** The router key: fetched once, shared, checked, pinned, and followed when the router rotates it. */
import { describe, expect, it } from 'vitest'
import { KeyError, SecureChatCompletion, SecurityError, InvalidRequestError } from '../../src/runtime/node.js'
import { startRouter } from '../helpers/router.js'
import { clientPem, otherRouterPem, routerPem, routerPublicPem } from '../helpers/keys.js'
import { serve } from '../../src/runtime/node-server.js'
import { loadKeyPair } from '../../src/router/index.js'

/** The pin of a PEM the way users compute it: `openssl pkey -pubin -outform DER | sha256sum`. */
async function fingerprintOf(pem: string) {
  const { createHash, createPublicKey } = await import('node:crypto')
  return createHash('sha256')
    .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

async function clientFor(url: string, options: Record<string, unknown> = {}) {
  const client = new SecureChatCompletion({ baseUrl: url, allowHttp: true, maxRetries: 0, ...options })
  await client.client.loadKeys(clientPem)
  return client
}
const ask = (client: SecureChatCompletion, content = 'hi') => client.create({ model: 'm', messages: [{ role: 'user', content }] })
const keyFetches = (hits: Array<{ path: string }>) => hits.filter((h) => h.path === '/pki/public_key').length

describe('router key cache', () => {
  it('fetches the key exactly once for 20 concurrent and then sequential requests', async () => {
    const router = await startRouter()
    try {
      const client = await clientFor(router.url)
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(client, `q${i}`)))
      expect(answers.map((a) => a.choices[0]!.message.content)).toEqual(Array.from({ length: 20 }, (_, i) => `echo: q${i}`))
      for (let i = 0; i < 5; i++) await ask(client)
      expect(keyFetches(router.hits)).toBe(1)
      expect(await client.client.fetchServerPublicKey()).toBe(routerPublicPem.trim() + '\n')
      expect(keyFetches(router.hits)).toBe(1)
    } finally {
      await router.close()
    }
  })

  it('does not cache a failed fetch', async () => {
    let fail = true
    const router = await startRouter({
      before: (r) => (r.method === 'GET' && fail ? new Response('{"detail":"warming up"}', { status: 500 }) : undefined),
    })
    try {
      const client = await clientFor(router.url)
      await expect(ask(client)).rejects.toMatchObject({ status: 500 })
      fail = false
      await expect(ask(client)).resolves.toBeTruthy()
    } finally {
      await router.close()
    }
  })

  it('rejects a router key that is not an RSA key of at least 2048 bits', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string
    for (const [pem, message] of [
      [weak, /1024 bits/],
      [ec, /not a valid RSA public key/],
      ['hello', /not PEM/],
    ] as const) {
      const server = await serve(async () => new Response(pem))
      try {
        const error = await ask(await clientFor(server.url)).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(KeyError)
        expect((error as Error).message).toMatch(message)
      } finally {
        await server.close()
      }
    }
  })
})

describe('pinning', () => {
  it('accepts a router key that matches a pin (any hex format)', async () => {
    const router = await startRouter()
    try {
      const pin = (await fingerprintOf(routerPublicPem)).replace(/(..)(?!$)/g, '$1:').toUpperCase()
      await expect(ask(await clientFor(router.url, { routerKeyPins: ['00'.repeat(32), pin] }))).resolves.toBeTruthy()
    } finally {
      await router.close()
    }
  })

  it('refuses a key that matches no pin, and sends nothing', async () => {
    const router = await startRouter()
    try {
      const error = await ask(await clientFor(router.url, { routerKeyPins: ['ab'.repeat(32)] }), 'secret').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SecurityError)
      expect((error as Error).message).toMatch(/pinned/)
      expect(router.hits.filter((h) => h.method === 'POST')).toHaveLength(0)
    } finally {
      await router.close()
    }
  })

  it('uses a router key given up front without fetching it (keyBinding: "off")', async () => {
    const router = await startRouter()
    try {
      await ask(await clientFor(router.url, { routerPublicKey: routerPublicPem, keyBinding: 'off' }))
      expect(keyFetches(router.hits)).toBe(0)
    } finally {
      await router.close()
    }
  })

  it('with a router key given up front, fetches once only to learn whether the router binds keys', async () => {
    const router = await startRouter()
    try {
      const client = await clientFor(router.url, { routerPublicKey: routerPublicPem })
      expect((await ask(client))._metadata.key_bound).toBe(true)
      await ask(client)
      expect(keyFetches(router.hits)).toBe(1)
    } finally {
      await router.close()
    }
  })
})

describe('router key rotation', () => {
  it('follows a router that restarted with a new key: one refetch, one resend', async () => {
    const first = await startRouter({ pem: routerPem })
    const client = await clientFor(first.url)
    await ask(client)
    const port = first.port
    await first.close()
    // Same address, new key: the cached key is stale.
    const { createSecureRouter } = await import('../../src/router/index.js')
    const { echoCompletion } = await import('../helpers/router.js')
    const hits: string[] = []
    const handler = createSecureRouter({
      keyPair: await loadKeyPair(otherRouterPem),
      complete: async (r) => echoCompletion(r),
      onRequest: (e) => void hits.push(`${e.method} ${e.status}`),
    })
    const second = await serve(handler, { port })
    try {
      const answer = await ask(client, 'after rotation')
      expect(answer.choices[0]!.message.content).toBe('echo: after rotation')
      expect(hits).toEqual(['POST 400', 'GET 200', 'POST 200'])
      await ask(client)
      expect(hits.slice(3)).toEqual(['POST 200'])
    } finally {
      await second.close()
    }
  })

  it('surfaces the 400 when the key did not change', async () => {
    const router = await startRouter({
      before: (r) => (r.method === 'POST' ? new Response('{"detail":"bad request"}', { status: 400 }) : undefined),
    })
    try {
      await expect(ask(await clientFor(router.url))).rejects.toBeInstanceOf(InvalidRequestError)
      expect(router.hits.map((h) => `${h.method} ${h.status}`)).toEqual(['GET 200', 'POST 400', 'GET 200'])
    } finally {
      await router.close()
    }
  })

  it('refuses to follow a rotation to a key outside the pins', async () => {
    const first = await startRouter({ pem: routerPem })
    const client = await clientFor(first.url, { routerKeyPins: [await fingerprintOf(routerPublicPem)] })
    await ask(client)
    const port = first.port
    await first.close()
    const second = await startRouterOn(port, otherRouterPem)
    try {
      const error = await ask(client).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SecurityError)
      expect((error as Error).message).toMatch(/pinned/)
    } finally {
      await second.close()
    }
  })
})

async function startRouterOn(port: number, pem: string) {
  const { createSecureRouter } = await import('../../src/router/index.js')
  const { echoCompletion } = await import('../helpers/router.js')
  return serve(createSecureRouter({ keyPair: await loadKeyPair(pem), complete: async (r) => echoCompletion(r) }), { port })
}
