/**
 * The environment capability of the runtime entries, as the `openai` package reads
 * `OPENAI_API_KEY` and `OPENAI_BASE_URL`: `apiKey` defaults to `NOMYO_API_KEY` and the router URL
 * to `NOMYO_BASE_URL`. Node and Bun read `process.env` (process-env.ts); Deno reads `Deno.env` only
 * where the env permission is already granted, never a prompt (deno-env.ts); Workers have no global
 * environment, so their `env` binding is passed as an option (here). Browsers have none: the browser
 * entry has no such field. Each reader is its own module, so no entry's build holds another's.
 */
import type { KeyChoice } from './key-options.js'

/** Reads one variable; `undefined` when it is unset, empty or not readable. */
export type EnvReader = (name: string) => string | undefined

/** What an entry's options default to from its environment. */
export interface EnvDefaults {
  apiKey?: string
  baseUrl?: string
}

/** The `env` field of a runtime's `Platform`: the defaults for one call's options. */
export type EnvCapability<K> = (options: K) => EnvDefaults

/** The defaults `read` gives. */
export function envDefaults(read: EnvReader): EnvDefaults {
  return { apiKey: read('NOMYO_API_KEY'), baseUrl: read('NOMYO_BASE_URL') }
}

/** The option of the Workers entry that carries its `env` binding. */
export interface EnvOption {
  /**
   * The Worker's `env` (or any record): `NOMYO_API_KEY` and `NOMYO_BASE_URL` in it are the
   * defaults of `apiKey` and the router URL. Workers have no global environment to read instead.
   */
  env?: object
}

/** The `env` option, in Workers. */
export const optionEnv: EnvCapability<EnvOption> = (options) =>
  envDefaults((name) => {
    const value = (options.env as Record<string, unknown> | undefined)?.[name]
    return typeof value === 'string' && value ? value : undefined
  })

/** `keys`, with the `env` option taken out first: the binding holds secrets no client should keep. */
export function withoutEnvOption<K>(keys: KeyChoice<K>): KeyChoice<K & EnvOption> {
  return (options) => {
    const { env: _env, ...rest } = options
    return keys(rest as typeof options)
  }
}
