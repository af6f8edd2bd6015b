/** The environment of the Node and Bun entries: `process.env` (see env.ts). */
import { type EnvCapability, envDefaults } from './env.js'

/** `process.env`, in Node and Bun. */
export const processEnv: EnvCapability<unknown> = () =>
  envDefaults((name) => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined)
