// End to end in Node: SecureCompletionClient (dist/index.js) against the router handler running in
// another process on 127.0.0.1, with a 1 KiB prompt. Sequential latency, throughput with 8 requests
// in flight, router key fetches per client, and where a sequential request's time goes.
// Prints one JSON line. Usage: node bench/e2e.mjs [--quick]
import { loadKeyPems, median, requestOfSize } from './common.mjs'
import { startRouterProcess } from './processes.mjs'

const { SecureCompletionClient } = await import('../dist/index.js')

const quick = process.argv.includes('--quick')
const SEQUENTIAL = quick ? 20 : 100
const CONCURRENCY = 8
const CONCURRENT_TOTAL = quick ? 48 : 240

const { privatePem } = loadKeyPems()
const request = requestOfSize(1024)
const router = await startRouterProcess()

// Everything between handing the request to fetch and holding the whole answer body is "waiting":
// loopback HTTP plus the router's work. The rest of a request's time is the client's own.
let waiting = 0
const timedFetch = async (input, init) => {
  const started = performance.now()
  const response = await fetch(input, init)
  const body = await response.arrayBuffer()
  waiting += performance.now() - started
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}

async function newClient() {
  const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true, fetch: timedFetch })
  await client.loadKeys(privatePem)
  return client
}

try {
  // Sequential: one client, first request (router key fetch, JIT) not counted.
  const sequential = await newClient()
  await router.reset()
  for (let i = 0; i < 5; i++) await sequential.sendSecureRequest(request)
  const before = await router.stats()
  const latencies = []
  const waits = []
  for (let i = 0; i < SEQUENTIAL; i++) {
    waiting = 0
    const started = performance.now()
    const answer = await sequential.sendSecureRequest(request)
    latencies.push(performance.now() - started)
    waits.push(waiting)
    if (!answer.choices[0].message.content.startsWith('echo: ')) throw new Error('unexpected answer')
  }
  const after = await router.stats()
  const sequentialKeyFetches = after.keyFetches

  // Concurrent: a fresh client whose first 8 requests start together, so they race for the router key.
  const concurrent = await newClient()
  await router.reset()
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CONCURRENT_TOTAL) await concurrent.sendSecureRequest(request)
    }),
  )
  const elapsed = performance.now() - started
  const concurrentStats = await router.stats()

  const latency = median(latencies)
  const wait = median(waits)
  const routerMs = (after.handlerMs - before.handlerMs) / (after.completions - before.completions)
  const result = {
    promptBytes: 1024,
    sequential: {
      requests: SEQUENTIAL,
      medianMs: latency,
      p90Ms: [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.9)],
      medianWaitingMs: wait,
      routerHandlerMs: routerMs,
      clientShare: (latency - wait) / latency,
      waitingShare: wait / latency,
      routerShare: routerMs / latency,
      keyFetches: sequentialKeyFetches,
    },
    concurrent: {
      concurrency: CONCURRENCY,
      requests: CONCURRENT_TOTAL,
      seconds: elapsed / 1000,
      requestsPerSecond: CONCURRENT_TOTAL / (elapsed / 1000),
      keyFetches: concurrentStats.keyFetches,
    },
  }
  result.keyFetchedOnce = sequentialKeyFetches === 1 && concurrentStats.keyFetches === 1
  console.log(JSON.stringify(result))
  if (!result.keyFetchedOnce) process.exitCode = 1
} finally {
  await router.stop()
}
