/** The environment of the Deno entry: `Deno.env`, read only with the permission granted (see env.ts). */
import { type EnvCapability, envDefaults } from './env.js'

interface DenoEnvApi {
  env: { get(name: string): string | undefined }
  permissions: { querySync?(descriptor: { name: 'env'; variable: string }): { state: string } }
}

/** `Deno.env`, read only when the permission is granted: a library never makes Deno prompt. */
export const denoEnv: EnvCapability<unknown> = () =>
  envDefaults((name) => {
    const deno = (globalThis as { Deno?: DenoEnvApi }).Deno
    try {
      if (deno?.permissions.querySync?.({ name: 'env', variable: name }).state !== 'granted') return undefined
      return deno.env.get(name) || undefined
    } catch {
      return undefined
    }
  })
