/**
 * The `env` option exists where it is the only way in to an environment (Workers): a Worker's `env`
 * interface is accepted as it is. Entries that read their own environment, and browsers, reject it.
 */
import { describe, expectTypeOf, it } from 'vitest'
import * as browser from '../../src/runtime/browser.js'
import * as node from '../../src/runtime/node.js'
import * as workers from '../../src/runtime/workers.js'

/** What wrangler generates: an interface, with no index signature. */
interface Env {
  NOMYO_API_KEY: string
  NOMYO_BASE_URL: string
  NOMYO_CLIENT_KEY: string
}
declare const env: Env

describe('the env option', () => {
  it('the Workers entry points take a Worker env', () => {
    new workers.SecureChatCompletion({ env, privateKeyPem: env.NOMYO_CLIENT_KEY })
    new workers.SecureCompletionClient({ env })
    workers.createSecureFetch({ env })
    expectTypeOf<workers.EnvOption['env']>().toEqualTypeOf<object | undefined>()
  })

  it('Node and browsers reject it', () => {
    // @ts-expect-error Node reads process.env itself
    new node.SecureChatCompletion({ env })
    // @ts-expect-error browsers have no environment
    new browser.SecureCompletionClient({ env })
  })

  it('withOptions() keeps the entry type', () => {
    const client = new node.SecureChatCompletion()
    expectTypeOf(client.withOptions({ maxRetries: 0 })).toEqualTypeOf<node.SecureChatCompletion>()
    expectTypeOf(client.client.withOptions({ timeout: 1 })).toEqualTypeOf<node.SecureCompletionClient>()
  })
})
