/**
 * What each runtime entry's three entry points accept, checked by tsc: the entries with files take
 * `keyDir`, Workers only a secret key, browsers only `keySlot`, the core none of them. Every
 * rejection is a `@ts-expect-error`, so an option that starts being accepted fails this file.
 */
import { describe, expectTypeOf, it } from 'vitest'
import * as browser from '../../src/runtime/browser.js'
import * as bun from '../../src/runtime/bun.js'
import * as core from '../../src/index.js'
import * as deno from '../../src/runtime/deno.js'
import * as node from '../../src/runtime/node.js'
import * as workers from '../../src/runtime/workers.js'

describe('the entries with files (Node, Deno, Bun)', () => {
  it('accept keyDir, privateKeyPem and keyPassword on all three entry points', () => {
    for (const entry of [node, deno, bun]) {
      new entry.SecureChatCompletion({ apiKey: 'k', keyDir: 'client_keys', keyPassword: 'p' })
      new entry.SecureCompletionClient({ routerUrl: 'https://r', privateKeyPem: 'pem' })
      entry.createSecureFetch({ baseUrl: 'https://r', keyDir: 'client_keys' })
    }
  })

  it('reject the browser key slot', () => {
    // @ts-expect-error keySlot belongs to the browser entry
    new node.SecureChatCompletion({ keySlot: 'a' })
    // @ts-expect-error keySlot belongs to the browser entry
    new deno.SecureCompletionClient({ keySlot: 'a' })
    // @ts-expect-error keySlot belongs to the browser entry
    bun.createSecureFetch({ keySlot: 'a' })
  })

  it('name their options types after the entry point, with keyDir', () => {
    expectTypeOf<node.SecureChatCompletionOptions['keyDir']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<ConstructorParameters<typeof deno.SecureCompletionClient>[0]>().toMatchTypeOf<
      deno.SecureCompletionClientOptions | undefined
    >()
    expectTypeOf<Parameters<typeof bun.createSecureFetch>[0]>().toMatchTypeOf<bun.SecureFetchOptions | undefined>()
  })
})

describe('the Workers entry', () => {
  it('accepts a secret key', () => {
    new workers.SecureChatCompletion({ apiKey: 'k', privateKeyPem: 'pem', keyPassword: 'p' })
    new workers.SecureCompletionClient({ privateKeyPem: 'pem' })
    workers.createSecureFetch({ privateKeyPem: 'pem' })
  })

  it('rejects key files and the browser key slot at compile time', () => {
    // @ts-expect-error no file system in Workers
    new workers.SecureChatCompletion({ keyDir: 'client_keys' })
    // @ts-expect-error no file system in Workers
    new workers.SecureCompletionClient({ keyDir: 'client_keys' })
    // @ts-expect-error no file system in Workers
    workers.createSecureFetch({ keyDir: 'client_keys' })
    // @ts-expect-error keySlot belongs to the browser entry
    new workers.SecureChatCompletion({ keySlot: 'a' })
  })
})

describe('the browser entry', () => {
  it('accepts a key slot', () => {
    new browser.SecureChatCompletion({ apiKey: 'k', keySlot: 'chat' })
    new browser.SecureCompletionClient({ keySlot: 'chat' })
    browser.createSecureFetch({ keySlot: 'chat' })
  })

  it('rejects key files and secret keys at compile time', () => {
    // @ts-expect-error no file system in browsers
    new browser.SecureChatCompletion({ keyDir: 'client_keys' })
    // @ts-expect-error no file system in browsers
    new browser.SecureCompletionClient({ keyDir: 'client_keys' })
    // @ts-expect-error no file system in browsers
    browser.createSecureFetch({ keyDir: 'client_keys' })
    // @ts-expect-error a private key does not belong in page code
    new browser.SecureChatCompletion({ privateKeyPem: 'pem' })
    // @ts-expect-error a private key does not belong in page code
    browser.createSecureFetch({ keyPassword: 'p' })
  })
})

describe('the core entry', () => {
  it('takes a key store but none of the entries key options', () => {
    new core.SecureChatCompletion({ keyStore: new core.MemoryKeyStore() })
    // @ts-expect-error the core has no key options of its own
    new core.SecureChatCompletion({ keyDir: 'client_keys' })
    // @ts-expect-error the core has no key options of its own
    new core.SecureCompletionClient({ keySlot: 'a' })
  })
})

describe('every entry', () => {
  it('exports its entry point names as types too, the instances being the core classes', () => {
    for (const entry of [node, deno, bun, workers, browser]) {
      expectTypeOf(new entry.SecureChatCompletion()).toEqualTypeOf<core.SecureChatCompletion>()
      expectTypeOf(new entry.SecureCompletionClient()).toEqualTypeOf<core.SecureCompletionClient>()
      expectTypeOf(entry.createSecureFetch()).toEqualTypeOf<core.SecureFetch>()
    }
    expectTypeOf<node.SecureChatCompletion>().toEqualTypeOf<core.SecureChatCompletion>()
    expectTypeOf<browser.SecureCompletionClient>().toEqualTypeOf<core.SecureCompletionClient>()
    const unknownValue: unknown = undefined
    if (unknownValue instanceof workers.SecureChatCompletion) expectTypeOf(unknownValue).toEqualTypeOf<core.SecureChatCompletion>()
  })

  it('a wrong type fails the check (the check has teeth)', () => {
    // @ts-expect-error a client is not a chat completion
    expectTypeOf(new node.SecureCompletionClient()).toEqualTypeOf<core.SecureChatCompletion>()
  })
})
