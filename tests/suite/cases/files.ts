/**
 * Key files where the runtime has a file system (Node, Deno, Bun): the runner lays out the Python
 * client's `client_keys/` (its encrypted PKCS#8 key from ../shared/vectors) in `ctx.keyDir`, and
 * the package reads it through that runtime's own file API.
 */
import { equal, ok } from '../assert.ts'
import { echoOf, hello } from '../helpers.ts'
import type { Case, SuiteContext } from '../types.ts'

/** The Python client's key: the runner copied this file to `keyDir/private_key.pem`. */
export const KEY_DIR_SOURCE = 'python-cryptography-enc.pem'

function source(ctx: SuiteContext) {
  const key = ctx.vectors.keys.files.find((file) => file.file === KEY_DIR_SOURCE)
  ok(key && ctx.keyDir, `the runner provides keyDir with ${KEY_DIR_SOURCE}`)
  return { key, keyDir: ctx.keyDir }
}

const sameKey = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '')

export const fileCases: Case[] = [
  {
    name: "key files: keyDir with the Python client's encrypted key files is used as is",
    async run(ctx) {
      const { key, keyDir } = source(ctx)
      const client = new ctx.lib.SecureChatCompletion({
        baseUrl: ctx.routerUrl,
        allowHttp: true,
        maxRetries: 0,
        keyDir,
        keyPassword: key.password,
      } as never)
      const answer = await client.create({ model: 'm', messages: hello })
      ok(sameKey(echoOf(answer).x_client_key, key.publicPem), 'requests carry the public key of the files')
      equal(client.client.keysPersisted, true, 'keysPersisted')
    },
  },
  {
    name: 'key files: loadKeys() takes file paths',
    async run(ctx) {
      const { key, keyDir } = source(ctx)
      const client = new ctx.lib.SecureCompletionClient({ routerUrl: 'https://router.invalid' })
      const loaded = await client.loadKeys(`${keyDir}/private_key.pem`, `${keyDir}/public_key.pem`, key.password)
      ok(sameKey(loaded.publicKeyPem, key.publicPem), 'the public key of the files')
    },
  },
]
