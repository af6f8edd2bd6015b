/**
 * Stateless scale-out: two router processes (examples/bun-router) behind a round-robin front on
 * 127.0.0.1 share one key secret and serve one client. The front counts requests per instance and
 * key fetches. Then a key rotation rolls across them in three steps (accept the new key; serve it,
 * still accepting the old; drop the old) under steady load, and no request fails. A direct swap,
 * for contrast, does fail requests: the accept steps are what makes the roll lossless.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureChatCompletion } from '../../src/runtime/node.js'
import { serve } from '../../src/runtime/node-server.js'
import { clientPem, otherRouterPem, routerPem, routerPublicPem } from '../helpers/keys.js'
import { binary } from '../runtimes/harness.js'
import { exampleApp, startServer, startUpstream, type Upstream } from './support.js'

const BUN = binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')
const OLD_KEY = routerPem
const NEW_KEY = otherRouterPem

interface Instance {
  name: string
  url: string
  stop(): Promise<void>
  inFlight: number
  completions: number
  keyFetches: number
}

let upstream: Upstream
let appDir = ''
let frontUrl = ''
/** The front's pool: slot 0 and slot 1; a roll replaces one slot's instance. */
const slots: Instance[] = []
const retired: Instance[] = []
let turn = 0
const cleanup: Array<() => unknown> = []

async function startInstance(name: string, key: string, accept?: string): Promise<Instance> {
  const env: Record<string, string> = { ROUTER_KEY_PEM: key, UPSTREAM_URL: `${upstream.url}/v1`, HOST: '127.0.0.1', PORT: '0' }
  if (accept) env.ROUTER_ACCEPT_KEY_PEM = accept
  const server = await startServer(BUN, ['--no-install', 'main.ts'], { cwd: appDir, env })
  return { name, url: server.url, stop: server.stop, inFlight: 0, completions: 0, keyFetches: 0 }
}

/** Replaces the instance in `slot` as a rolling deploy does: the new one takes traffic, the old one drains, then stops. */
async function roll(slot: number, name: string, key: string, accept?: string): Promise<void> {
  const fresh = await startInstance(name, key, accept)
  const old = slots[slot]!
  slots[slot] = fresh
  while (old.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5))
  await old.stop()
  retired.push(old)
}

const HOP_BY_HOP = /^(connection|keep-alive|transfer-encoding|content-length|content-encoding|host)$/i
const passable = (headers: Headers) => [...headers].filter(([name]) => !HOP_BY_HOP.test(name))

beforeAll(async () => {
  upstream = await startUpstream()
  const app = exampleApp('bun-router')
  appDir = app.dir
  cleanup.push(() => upstream.close(), app.remove)
  slots.push(await startInstance('A1', OLD_KEY), await startInstance('B1', OLD_KEY))
  cleanup.push(() => Promise.all(slots.map((instance) => instance.stop())))
  const front = await serve(async (request) => {
    const instance = slots[turn++ % slots.length]!
    const path = new URL(request.url).pathname
    if (path === '/pki/public_key') instance.keyFetches++
    else instance.completions++
    instance.inFlight++
    try {
      const answer = await fetch(instance.url + path, {
        method: request.method,
        headers: passable(request.headers),
        body: request.method === 'POST' ? await request.arrayBuffer() : undefined,
        redirect: 'manual',
      })
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: passable(answer.headers) })
    } finally {
      instance.inFlight--
    }
  })
  cleanup.push(() => front.close())
  frontUrl = front.url
}, 60_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

const all = () => [...retired, ...slots]
const keyFetches = () => all().reduce((sum, instance) => sum + instance.keyFetches, 0)

async function newClient(): Promise<SecureChatCompletion> {
  // No transport retries: a request that any instance fails counts as failed.
  const client = new SecureChatCompletion({ baseUrl: frontUrl, allowHttp: true, maxRetries: 0, keyBinding: 'require' })
  await client.client.loadKeys(clientPem)
  return client
}

async function ask(client: SecureChatCompletion, content: string): Promise<void> {
  const completion = await client.create({ model: 'm', messages: [{ role: 'user', content }] })
  if (completion.choices[0]?.message.content !== `echo: ${content}`) throw new Error(`wrong answer to ${content}`)
  if (completion._metadata?.key_bound !== true) throw new Error(`unbound answer to ${content}`)
}

/** `workers` loops asking one after another until `stop()`; failures are collected, not thrown. */
function steadyLoad(client: SecureChatCompletion, workers: number) {
  const state = { done: 0, failures: [] as string[], running: true }
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = 0; state.running; i++) {
      await ask(client, `w${worker}-${i}`).then(
        () => state.done++,
        (error: Error) => state.failures.push(`w${worker}-${i}: ${error.name} ${error.message}`),
      )
    }
  })
  const after = async (count: number) => {
    const target = state.done + count
    while (state.done < target && state.failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return { state, after, stop: async () => ((state.running = false), await Promise.all(loops)) }
}

describe('scale-out: two router processes, one key secret, one client', () => {
  let client: SecureChatCompletion

  it('round-robin spreads the requests evenly; the client fetches the key once and never fails', async () => {
    client = await newClient()
    await Promise.all(
      Array.from({ length: 5 }, (_, worker) =>
        (async () => {
          for (let i = 0; i < 4; i++) await ask(client, `steady-${worker}-${i}`)
        })(),
      ),
    )
    expect(keyFetches()).toBe(1)
    expect(slots.map((instance) => instance.completions)).toEqual([10, 10])
  })

  it('a key rotation rolled across both (accept new; serve new, accept old; drop old) loses no request', async () => {
    const load = steadyLoad(client, 3)
    const steps: Array<[string, string, string | undefined]> = [
      ['accept', OLD_KEY, NEW_KEY],
      ['serve', NEW_KEY, OLD_KEY],
      ['drop', NEW_KEY, undefined],
    ]
    const fetchesBeforeDrop: number[] = []
    for (const [step, key, accept] of steps) {
      if (step === 'drop') fetchesBeforeDrop.push(keyFetches())
      for (const slot of [0, 1]) {
        await roll(slot, `${'AB'[slot]}-${step}`, key, accept)
        await load.after(4)
      }
    }
    await load.after(6)
    await load.stop()
    expect(load.state.failures).toEqual([])
    expect(load.state.done).toBeGreaterThanOrEqual(30)
    // Sealed to the old key until it was dropped: no refetch while both keys were accepted.
    expect(fetchesBeforeDrop).toEqual([1])
    // Then one refetch per request that had already sealed to the old key, at most.
    expect(keyFetches()).toBeGreaterThanOrEqual(2)
    expect(keyFetches()).toBeLessThanOrEqual(1 + 3)
    expect(await (await fetch(`${frontUrl}/pki/public_key`)).text()).not.toBe(routerPublicPem)
    // Every instance of the roll served completions, the old ones until they were drained.
    for (const instance of all()) expect(instance.completions, instance.name).toBeGreaterThan(0)
  })

  it('for contrast, swapping the key without the accept steps fails requests', async () => {
    await roll(0, 'A-swap', OLD_KEY)
    await roll(1, 'B-swap', OLD_KEY)
    const fresh = await newClient()
    await ask(fresh, 'warm up')
    await roll(0, 'A-swapped', NEW_KEY)
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ask(fresh, `swap-${i}`).then(
          () => 'ok',
          () => 'failed',
        ),
      ),
    )
    expect(outcomes).toContain('failed')
  })
})
