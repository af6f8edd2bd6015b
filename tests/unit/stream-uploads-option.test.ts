/**
 * Which clients stream large uploads (`streamUploads`): by default those of the Node and Deno entries,
 * whose fetch copies a byte body whole and sends a stream over HTTP/1.1; not Bun's (no memory
 * saved there), not the Workers, browser or core clients (browsers refuse streamed uploads over
 * HTTP/1.1). The option given wins, also through `withOptions`. Recorded at the transport's door.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { TransportSettings } from '../../src/transport/http.js'
import * as core from '../../src/index.js'
import * as browser from '../../src/runtime/browser.js'
import * as bun from '../../src/runtime/bun.js'
import * as deno from '../../src/runtime/deno.js'
import * as node from '../../src/runtime/node.js'
import * as workers from '../../src/runtime/workers.js'
import { clientPem, routerPublicPem } from '../helpers/keys.js'

const seen = vi.hoisted(() => ({ settings: [] as TransportSettings[] }))
vi.mock('../../src/transport/http.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/transport/http.js')>()
  return {
    ...actual,
    send: (_request: unknown, settings: TransportSettings) => {
      seen.settings.push(settings)
      return Promise.reject(new Error('recorded, not sent'))
    },
  }
})
beforeEach(() => {
  seen.settings.length = 0
})

type Client = InstanceType<typeof core.SecureCompletionClient>
const entries: [string, new (options: object) => Client, boolean][] = [
  ['node', node.SecureCompletionClient, true],
  ['deno', deno.SecureCompletionClient, true],
  ['bun', bun.SecureCompletionClient, false],
  ['workers', workers.SecureCompletionClient, false],
  ['browser', browser.SecureCompletionClient, false],
  ['core', core.SecureCompletionClient, false],
]

/** What the transport was told for one secure request of `client`. */
async function streamUploadsOf(client: Client): Promise<boolean> {
  await client.loadKeys(clientPem)
  await expect(client.sendSecureRequest({ model: 'm', messages: [] })).rejects.toThrow('recorded, not sent')
  return seen.settings.at(-1)?.streamUploads === true
}
const options = {
  routerUrl: 'https://router.invalid',
  routerPublicKey: routerPublicPem,
  keyBinding: 'off',
  keyStore: new core.MemoryKeyStore(),
}

describe('streamUploads', () => {
  it.each(entries)('defaults in the %s entry to %s', async (_name, Client, expected) => {
    expect(await streamUploadsOf(new Client(options))).toBe(expected)
  })

  it.each(entries)('is what the option says in the %s entry, also after withOptions', async (_name, Client) => {
    for (const streamUploads of [true, false]) {
      const client = new Client({ ...options, streamUploads })
      expect(await streamUploadsOf(client)).toBe(streamUploads)
      expect(await streamUploadsOf(client.withOptions({ timeout: 1000 }))).toBe(streamUploads)
    }
  })

  it("flows from an entry's chat client to its protocol client", async () => {
    const chat = new node.SecureChatCompletion({ ...options, baseUrl: options.routerUrl })
    expect(await streamUploadsOf(chat.client)).toBe(true)
    const chatOff = new node.SecureChatCompletion({ ...options, baseUrl: options.routerUrl, streamUploads: false })
    expect(await streamUploadsOf(chatOff.client)).toBe(false)
  })
})
