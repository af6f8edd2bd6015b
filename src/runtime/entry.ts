/**
 * The one recipe behind every runtime entry: the three entry points, built for one platform. An
 * entry (node.ts, deno.ts, bun.ts, workers.ts, browser.ts) is its `Platform` object, one call of
 * {@link entryPoints} and its exports with their examples. What a runtime brings is one field of
 * its `Platform`, read here once: adding a capability is a field here and a line in each entry.
 */
import { SecureChatCompletion, type SecureChatCompletionOptions } from '../client/secure-chat-completion.js'
import { SecureCompletionClient, type SecureCompletionClientOptions } from '../client/secure-completion-client.js'
import { createSecureFetch, type SecureFetch, type SecureFetchOptions } from '../fetch/secure-fetch.js'
import type { CoreKeyOptions, KeyChoice } from './key-options.js'
import type { EnvCapability } from './env.js'

/** What one runtime brings to its entry, a field per capability. `K` is the entry's key options. */
export interface Platform<K> {
  /** Where the client key lives: `secretKeys` or `indexedDBKeys` (key-options.ts), or `fileKeys(files)` (file-keys.ts). */
  keys: KeyChoice<K>
  /**
   * Where `apiKey` and the router URL default from (`NOMYO_API_KEY`, `NOMYO_BASE_URL`; env.ts):
   * `processEnv`, `denoEnv` or `optionEnv`. Absent in browsers, which have no environment.
   */
  env?: EnvCapability<K>
  /**
   * Option defaults of this runtime, below the environment's and the options given: in Node and
   * Deno `streamUploads: true` (their `fetch` copies a byte body whole and sends a stream body over
   * HTTP/1.1; see `#platform/upload-stream`), nothing elsewhere.
   */
  defaults?: Pick<SecureCompletionClientOptions, 'streamUploads'>
}

/**
 * A class as an entry exports it: constructed with the entry's options, an instance of the core
 * class. A named construct signature, so that declaration emit can name the type (no TS4094).
 */
export interface EntryClass<O, I> {
  new (options?: O): I
}

/** The `createSecureFetch` of an entry, taking the entry's options `O`. */
export type EntryFetch<O> = (options?: O) => SecureFetch

/**
 * What an entry exports its three entry points from, each taking the core's options plus the
 * entry's key options `K`: the bases of its `SecureChatCompletion` and `SecureCompletionClient`
 * classes (`export class SecureChatCompletion extends entry.ChatClass {}`, one line that is the
 * value, the type and the documented export) and its `createSecureFetch`.
 */
export interface EntryPoints<K> {
  ChatClass: EntryClass<SecureChatCompletionOptions & K, SecureChatCompletion>
  ClientClass: EntryClass<SecureCompletionClientOptions & K, SecureCompletionClient>
  createSecureFetch: EntryFetch<SecureFetchOptions & K>
}

/** Builds the entry points of the runtime described by `platform`, on subclasses of the core's classes. */
export function entryPoints<K>(platform: Platform<K>): EntryPoints<K> {
  // Options given win over the environment's defaults, as in the `openai` package.
  const core = <T extends CoreKeyOptions>(options: (T & K) | undefined, defaults?: object): T =>
    platform.keys<T>({ ...platform.defaults, ...defaults, ...options } as T & K)
  const env = (options: K | undefined) => platform.env?.(options ?? ({} as K))
  return {
    ChatClass: class extends SecureChatCompletion {
      constructor(options?: SecureChatCompletionOptions & K) {
        super(core(options, env(options)))
      }
    },
    ClientClass: class extends SecureCompletionClient {
      constructor(options?: SecureCompletionClientOptions & K) {
        super(core(options, { routerUrl: env(options)?.baseUrl }))
      }
    },
    createSecureFetch: (options) => createSecureFetch(core(options, env(options))),
  }
}
