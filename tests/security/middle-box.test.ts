/**
 * Issue #12, findings 1-3 and the key-binding downgrades, played by a middle box that terminates
 * TLS (a `fetch` that reads and rewrites every exchange) between our client and the real router
 * handler on 127.0.0.1. The attacker holds a key pair of its own and tries to get a prompt or an
 * answer sealed to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidRequestError, SecureChatCompletion, SecurityError } from '../../src/runtime/node.js'
import { importPrivateKeyPem } from '../../src/crypto/pkcs8.js'
import { exportPublicKeyPem, importPublicKeyPem, spkiFingerprint } from '../../src/crypto/rsa.js'
import { open, seal } from '../../src/crypto/hybrid.js'
import { encodePackage, parsePackage } from '../../src/protocol/package.js'
import { keyBindingAad } from '../../src/protocol/key-binding.js'
import { clientPem, otherRouterPem, routerPublicPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'
import { editPackage, middleBox, rewrite, type MiddleBoxHandler } from './support.js'

const SECRET = 'my diagnosis is confidential'
let router: TestRouter
let attacker: { privateKey: CryptoKey; publicPem: string; fingerprint: string }
/** Plaintexts the attacker managed to open with its key. */
let stolen: string[] = []

beforeAll(async () => {
  router = await startRouter()
  const pair = await importPrivateKeyPem(otherRouterPem)
  attacker = {
    privateKey: pair.privateKey,
    publicPem: await exportPublicKeyPem(pair.publicKey),
    fingerprint: await spkiFingerprint(pair.publicKey),
  }
})
afterAll(() => router.close())

async function clientBehind(handler: MiddleBoxHandler, options: Record<string, unknown> = {}) {
  stolen = []
  const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, maxRetries: 0, fetch: middleBox(handler), ...options })
  await client.client.loadKeys(clientPem)
  return client
}
const ask = (client: SecureChatCompletion, content = SECRET) => client.create({ model: 'm', messages: [{ role: 'user', content }] })
const isKeyFetch = (request: Request) => new URL(request.url).pathname === '/pki/public_key'
const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('no error'),
    (error: unknown) => error,
  )

/**
 * Tries to open a package with the attacker's key; records the plaintext when that works. The
 * additional data of a bound package is no secret: the attacker computes it from the headers.
 */
async function tryToRead(bytes: Uint8Array, headers?: Headers, direction: 'request' | 'response' = 'request') {
  try {
    const { parts, extra } = parsePackage(bytes)
    const clientKey = headers && (await importPublicKeyPem(decodeURIComponent(headers.get('x-public-key')!)))
    const aad =
      extra.key_binding && clientKey ? keyBindingAad(direction, await spkiFingerprint(clientKey), headers!.get('x-payload-id')!) : undefined
    const plaintext = await open(parts, attacker.privateKey, aad).catch(() => undefined)
    if (plaintext) stolen.push(new TextDecoder().decode(plaintext))
    return extra
  } catch {
    return undefined
  }
}
const attackerKeyAnswer = () => new Response(attacker.publicPem, { headers: { 'Content-Type': 'text/plain', 'X-Nomyo-Key-Binding': 'v1' } })
const fake400 = () => Response.json({ detail: 'Decryption failed' }, { status: 400 })

describe('finding 1: router key trust', () => {
  /** A fake 400 on the first POST, then the attacker's key from /pki/public_key, then it reads what it gets. */
  const swapRouterKey: MiddleBoxHandler = async (request, forward) => {
    if (isKeyFetch(request)) return posts === 0 ? forward(request) : attackerKeyAnswer()
    posts++
    await tryToRead(new Uint8Array(await request.clone().arrayBuffer()), request.headers)
    return posts === 1 ? fake400() : forward(request)
  }
  let posts = 0

  it('routerPublicKey is a pin: after a faked 400 the prompt is never resealed to a fetched key', async () => {
    posts = 0
    const client = await clientBehind(swapRouterKey, { routerPublicKey: routerPublicPem })
    const error = await fail(ask(client))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(posts).toBe(1)
    expect(stolen).toEqual([])
    // And the pin still holds for the next request.
    const answer = await ask(client, 'next')
    expect(answer.choices[0]!.message.content).toBe('echo: next')
    expect(stolen).toEqual([])
  })

  it('routerKeyPins refuse a key outside them before anything is sealed to it', async () => {
    posts = 0
    const pins = [await spkiFingerprint(await importPublicKeyPem(routerPublicPem)), 'ab'.repeat(32)]
    const client = await clientBehind(swapRouterKey, { routerKeyPins: pins })
    const error = await fail(ask(client))
    expect(error).toBeInstanceOf(SecurityError)
    expect((error as Error).message).toMatch(/pinned/)
    expect(posts).toBe(1)
    expect(stolen).toEqual([])
  })

  it('routerKeyPins follow a rotation to another pinned key (several pins for a planned rotation)', async () => {
    posts = 0
    const rotated = await startRouter({ pem: otherRouterPem })
    try {
      // The rotated router holds the key the attacker fixture uses: here it is the legitimate next key.
      const pins = [await spkiFingerprint(await importPublicKeyPem(routerPublicPem)), attacker.fingerprint]
      let rotatedNow = false
      const client = await clientBehind(
        (request, forward) => forward(rotatedNow ? new Request(request.url.replace(router.url, rotated.url), request) : request),
        { routerKeyPins: pins },
      )
      await ask(client, 'before')
      rotatedNow = true
      expect((await ask(client, 'after')).choices[0]!.message.content).toBe('echo: after')
    } finally {
      await rotated.close()
    }
  })

  it('unpinned: follows a key change only through the 400 path, and says so through the logger', async () => {
    posts = 0
    const warnings: string[] = []
    const client = await clientBehind(swapRouterKey, { logger: { warn: (message: string) => warnings.push(message) } })
    // The unpinned client trusts the router's word at each fetch: this is what pinning is for.
    await fail(ask(client))
    expect(stolen).toEqual([expect.stringContaining(SECRET)])
    expect(warnings).toEqual([expect.stringMatching(/router key changed/)])
  })
})

describe('finding 2: the answer key is bound to the request', () => {
  /** Swaps X-Public-Key for the attacker's, reads the answer, reseals it to the client's real key. */
  const swapAnswerKey: MiddleBoxHandler = async (request, forward) => {
    if (isKeyFetch(request)) return forward(request)
    const clientHeader = request.headers.get('x-public-key')!
    const answer = await forward(await rewrite(request, { 'x-public-key': encodeURIComponent(attacker.publicPem) }))
    if (answer.status !== 200) return answer
    const extra = await tryToRead(new Uint8Array(await answer.arrayBuffer()))
    const clientKey = await importPublicKeyPem(decodeURIComponent(clientHeader))
    const resealed = encodePackage(await seal(new TextEncoder().encode(stolen.at(-1)), clientKey), extra)
    return new Response(resealed as BodyInit, { headers: { 'Content-Type': 'application/json' } })
  }

  it('bound: the router refuses the swapped key (400, fixed message) and never runs the completion', async () => {
    const before = router.requests.length
    const error = await fail(ask(await clientBehind(swapAnswerKey)))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as InvalidRequestError).message).toMatch(/Decryption failed: the package could not be authenticated/)
    expect(router.requests.length).toBe(before)
    expect(stolen).toEqual([])
  })

  it('unbound (keyBinding: "off", or a router without the extension): the same middle box reads the answer', async () => {
    const answer = await ask(await clientBehind(swapAnswerKey, { keyBinding: 'off' }))
    expect(answer.choices[0]!.message.content).toBe(`echo: ${SECRET}`)
    expect(stolen.join()).toContain(`echo: ${SECRET}`)
    expect(answer._metadata.key_bound).toBeUndefined()
  })

  it('a swapped X-Payload-ID fails the same way', async () => {
    const before = router.requests.length
    const client = await clientBehind(async (request, forward) =>
      forward(isKeyFetch(request) ? request : await rewrite(request, { 'x-payload-id': 'another-id' })),
    )
    expect(await fail(ask(client))).toBeInstanceOf(InvalidRequestError)
    expect(router.requests.length).toBe(before)
  })
})

describe('finding 3: answers are bound to their request', () => {
  /** Keeps the first answer and hands it back as the answer to every later request. */
  function replayer() {
    let first: Uint8Array | undefined
    return (async (request, forward) => {
      const answer = await forward(request)
      if (isKeyFetch(request)) return answer
      first ??= new Uint8Array(await answer.arrayBuffer())
      return new Response(first as BodyInit, { headers: { 'Content-Type': 'application/json' } })
    }) satisfies MiddleBoxHandler
  }

  it('bound: an answer replayed to another request is a SecurityError', async () => {
    const client = await clientBehind(replayer())
    expect((await ask(client, 'first')).choices[0]!.message.content).toBe('echo: first')
    expect(await fail(ask(client, 'second'))).toBeInstanceOf(SecurityError)
  })

  it('unbound: the same replay is accepted (what binding adds)', async () => {
    const client = await clientBehind(replayer(), { keyBinding: 'off' })
    await ask(client, 'first')
    expect((await ask(client, 'second')).choices[0]!.message.content).toBe('echo: first')
  })

  it('binding does not authenticate the router: a middle box can make up a bound answer (it never sees the prompt)', async () => {
    const before = router.requests.length
    const client = await clientBehind(async (request, forward) => {
      if (isKeyFetch(request)) return forward(request)
      await tryToRead(new Uint8Array(await request.arrayBuffer()), request.headers)
      const clientKey = await importPublicKeyPem(decodeURIComponent(request.headers.get('x-public-key')!))
      const aad = keyBindingAad('response', await spkiFingerprint(clientKey), request.headers.get('x-payload-id')!)
      const made = new TextEncoder().encode(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'made up' }, finish_reason: 'stop' }],
        }),
      )
      return new Response(encodePackage(await seal(made, clientKey, aad), { key_binding: 'v1' }) as BodyInit)
    })
    const answer = await ask(client)
    expect(answer.choices[0]!.message.content).toBe('made up')
    expect(answer._metadata.key_bound).toBe(true)
    expect(stolen).toEqual([])
    expect(router.requests.length).toBe(before)
  })

  it('processed_at travels outside the seal: a middle box changes it and nothing notices (documented)', async () => {
    const client = await clientBehind(async (request, forward) => {
      const answer = await forward(request)
      if (isKeyFetch(request)) return answer
      const edited = editPackage(new Uint8Array(await answer.arrayBuffer()), (pkg) => (pkg.processed_at = 1))
      return new Response(edited as BodyInit, { headers: { 'Content-Type': 'application/json' } })
    })
    const answer = await ask(client)
    expect(answer._metadata).toMatchObject({ processed_at: 1, is_encrypted: true, key_bound: true })
  })
})

describe('key binding: downgrades', () => {
  const postsSeen: Request[] = []
  const counting =
    (inner: MiddleBoxHandler): MiddleBoxHandler =>
    (request, forward) => {
      if (!isKeyFetch(request)) postsSeen.push(request)
      return inner(request, forward)
    }
  const stripHeader = async (answer: Response) => {
    const headers = new Headers(answer.headers)
    headers.delete('x-nomyo-key-binding')
    return new Response(await answer.text(), { status: answer.status, headers })
  }

  it('an exchange with our router is bound, and says so in _metadata.key_bound', async () => {
    const client = await clientBehind((request, forward) => forward(request))
    expect((await ask(client))._metadata.key_bound).toBe(true)
  })

  it('advertisement stripped after it was seen: SecurityError, nothing sent', async () => {
    let keyFetches = 0
    let posts = 0
    const client = await clientBehind(async (request, forward) => {
      if (isKeyFetch(request)) return ++keyFetches === 1 ? forward(request) : stripHeader(await forward(request))
      posts++
      return posts === 2 ? fake400() : forward(request)
    })
    await ask(client, 'first')
    const error = await fail(ask(client, 'second'))
    expect(error).toBeInstanceOf(SecurityError)
    expect((error as Error).message).toMatch(/key binding/)
    expect(posts).toBe(2)
  })

  it('keyBinding "auto", first contact: stripping the advertisement from the first fetch makes the exchange unbound', async () => {
    const client = await clientBehind(async (request, forward) =>
      isKeyFetch(request) ? stripHeader(await forward(request)) : forward(request),
    )
    expect((await ask(client))._metadata.key_bound).toBeUndefined()
  })

  it('keyBinding "require": a router that does not advertise it gets nothing', async () => {
    postsSeen.length = 0
    const client = await clientBehind(
      counting(async (request, forward) => (isKeyFetch(request) ? stripHeader(await forward(request)) : forward(request))),
      { keyBinding: 'require' },
    )
    expect(await fail(ask(client))).toBeInstanceOf(SecurityError)
    expect(postsSeen).toHaveLength(0)
  })

  const rewriteRequestPackage =
    (change: (pkg: Record<string, unknown>) => void): MiddleBoxHandler =>
    async (request, forward) =>
      isKeyFetch(request)
        ? forward(request)
        : forward(await rewrite(request, {}, editPackage(new Uint8Array(await request.arrayBuffer()), change)))

  it.each([
    ['marker stripped from a bound request', (pkg: Record<string, unknown>) => delete pkg.key_binding, {}, /Decryption failed/],
    [
      'marker added to an unbound request',
      (pkg: Record<string, unknown>) => (pkg.key_binding = 'v1'),
      { keyBinding: 'off' },
      /Decryption failed/,
    ],
    ['key_binding field tampered', (pkg: Record<string, unknown>) => (pkg.key_binding = 'v2'), {}, /Unsupported key_binding/],
  ])('%s: 400 from the router, the completion never runs', async (_, change, options, message) => {
    const before = router.requests.length
    const error = await fail(ask(await clientBehind(rewriteRequestPackage(change), options)))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as Error).message).toMatch(message)
    expect(router.requests.length).toBe(before)
  })

  it('X-Payload-ID removed from a bound request: 400 from the router, the completion never runs', async () => {
    const before = router.requests.length
    const client = await clientBehind(async (request, forward) =>
      forward(isKeyFetch(request) ? request : await rewrite(request, { 'x-payload-id': null })),
    )
    const error = await fail(ask(client))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as Error).message).toMatch(/needs X-Payload-ID/)
    expect(router.requests.length).toBe(before)
  })

  it('a router with keyBinding: false advertises nothing, refuses a marked package, and serves unbound clients', async () => {
    const plain = await startRouter({ keyBinding: false })
    try {
      expect((await fetch(`${plain.url}/pki/public_key`)).headers.get('x-nomyo-key-binding')).toBeNull()
      const client = new SecureChatCompletion({ baseUrl: plain.url, allowHttp: true, maxRetries: 0 })
      await client.client.loadKeys(clientPem)
      expect((await ask(client))._metadata.key_bound).toBeUndefined()
      const marked = new SecureChatCompletion({
        baseUrl: plain.url,
        allowHttp: true,
        maxRetries: 0,
        fetch: middleBox(async (request, forward) =>
          isKeyFetch(request)
            ? forward(request)
            : forward(
                await rewrite(
                  request,
                  {},
                  editPackage(new Uint8Array(await request.arrayBuffer()), (pkg) => (pkg.key_binding = 'v1')),
                ),
              ),
        ),
      })
      await marked.client.loadKeys(clientPem)
      expect(((await fail(ask(marked))) as Error).message).toMatch(/Unsupported key_binding/)
    } finally {
      await plain.close()
    }
  })

  const rewriteAnswerPackage =
    (change: (pkg: Record<string, unknown>) => void): MiddleBoxHandler =>
    async (request, forward) => {
      const answer = await forward(request)
      if (isKeyFetch(request)) return answer
      const edited = editPackage(new Uint8Array(await answer.arrayBuffer()), change)
      return new Response(edited as BodyInit, { headers: { 'Content-Type': 'application/json' } })
    }

  it.each([
    ['marker stripped from a bound answer', (pkg: Record<string, unknown>) => delete pkg.key_binding, {}],
    ['marker added to an unbound answer', (pkg: Record<string, unknown>) => (pkg.key_binding = 'v1'), { keyBinding: 'off' }],
    ['marker tampered on a bound answer', (pkg: Record<string, unknown>) => (pkg.key_binding = 'v2'), {}],
  ])('%s: SecurityError on the client', async (_, change, options) => {
    expect(await fail(ask(await clientBehind(rewriteAnswerPackage(change), options)))).toBeInstanceOf(SecurityError)
  })
})
