/**
 * Every key file in ../shared/vectors/keys as other tools write them: the ones that must load load
 * non-extractable and decrypt what their public key sealed; the rest fail with a clear KeyError.
 */
import { equal, ok, rejects } from '../assert.ts'
import type { Case, KeyFile, SuiteContext } from '../types.ts'

const ROUTER = 'https://router.invalid'

async function provesLoaded(ctx: SuiteContext, key: KeyFile): Promise<void> {
  const { lib } = ctx
  const client = new lib.SecureCompletionClient({ routerUrl: ROUTER })
  // Passing the public file makes loadKeys check that the pair belongs together.
  const loaded = await client.loadKeys(key.pem, key.publicPem, key.password)
  ok(loaded.fingerprint.length === 64, 'loadKeys returns the SHA-256 fingerprint')

  // Correct when a value sealed to the public file opens with the loaded private key.
  const sealer = new lib.SecureCompletionClient({ routerUrl: ROUTER, routerPublicKey: key.publicPem })
  const probe = crypto.randomUUID()
  const opened = await client.decryptResponse(await sealer.encryptPayload({ choices: [], probe }), 'p')
  equal(opened.probe, probe, 'the loaded key opens a package sealed to its public file')

  // The PEM key store (server and edge entries; browsers keep keys in IndexedDB and load PEMs with
  // loadKeys) hands out the CryptoKeyPair itself: the private half must stay inside WebCrypto.
  if (ctx.runtime.startsWith('chromium')) {
    equal(lib.PemKeyStore, undefined, 'the browser entry has no PemKeyStore')
    return
  }
  ok(lib.PemKeyStore, 'server and edge entries export PemKeyStore')
  const pair = await new lib.PemKeyStore(key.pem, key.password).getOrCreate(() => Promise.reject(new Error('must not generate')))
  equal(pair.privateKey.extractable, false, 'privateKey.extractable')
  // The rejection is a DOMException, which is not an Error subclass in every runtime.
  await rejects(crypto.subtle.exportKey('pkcs8', pair.privateKey), Object, "exportKey('pkcs8') of the private key")
}

function keyFileCase(key: KeyFile): Case {
  return {
    name: `key file ${key.file}: ${key.expect}`,
    async run(ctx) {
      const { lib } = ctx
      if (key.expect === 'ok') return provesLoaded(ctx, key)
      const client = new lib.SecureCompletionClient({ routerUrl: ROUTER })
      if (key.expect === 'unsupported') {
        const error = await rejects(client.loadKeys(key.pem, undefined, key.password), lib.UnsupportedKeyError, 'loadKeys')
        ok(/unsupported|not supported|cannot/i.test(error.message), `a clear message, got "${error.message}"`)
        return
      }
      // ok-or-clear-error: loading is fine; refusing must say that PKCS#8 is needed.
      try {
        await client.loadKeys(key.pem, undefined, key.password)
      } catch (error) {
        ok(error instanceof lib.KeyError, `a KeyError, got ${String(error)}`)
        ok(/PKCS#8/.test(error.message), `the message explains PKCS#8 is needed, got "${error.message}"`)
        return
      }
      await provesLoaded(ctx, key)
    },
  }
}

export function keyFileCases(keys: KeyFile[]): Case[] {
  const encrypted = keys.find((key) => key.password && key.expect === 'ok')
  return [
    ...keys.map(keyFileCase),
    {
      name: `key file ${encrypted?.file}: a wrong password is a KeyError`,
      async run({ lib }) {
        ok(encrypted, 'the vectors include an encrypted key')
        const client = new lib.SecureCompletionClient({ routerUrl: ROUTER })
        await rejects(client.loadKeys(encrypted.pem, undefined, 'not the password'), lib.KeyError, 'loadKeys')
      },
    },
  ]
}
