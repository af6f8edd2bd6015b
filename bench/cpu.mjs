// Client CPU per request at 1 KiB, against the router handler in another process: the process CPU
// time (user + system, every thread: WebCrypto runs on a thread pool) of N sequential
// sendSecureRequest calls, beside two floors measured the same way in the same process:
//   - RSA: one RSA-OAEP-4096 decrypt + one encrypt (SHA-256), the asymmetric work a request needs;
//   - fetch: the runtime's bare `fetch` sending the same bytes as the client (its headers, X-Public-Key
//     included, and a body as long as the sealed request) and reading an answer as long as the
//     sealed answer, against the same router process.
// Target: client ≤ RSA + fetch + 1 ms. Node, Deno and Bun:
//   node bench/cpu.mjs | deno run -A bench/cpu.mjs | bun bench/cpu.mjs      [--quick]
import { loadKeyPems, median, pemDer, requestOfSize, runtimeName, runtimeVersion } from './common.mjs'
import { startRouterProcess } from './processes.mjs'

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2)
const quick = args.includes('--quick')
const N = quick ? 30 : 120
const ROUNDS = quick ? 3 : 5
const { SecureCompletionClient } = await import('../dist/index.js')
const { privatePem, publicPem } = loadKeyPems()
const subtle = globalThis.crypto.subtle

/** CPU milliseconds (user + system) of this process, every thread. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
/** Median over ROUNDS of the CPU time per call of `fn`, N calls per round. */
async function perCall(fn) {
  const rounds = []
  for (let round = 0; round < ROUNDS; round++) {
    const started = cpuMs()
    for (let i = 0; i < N; i++) await fn()
    rounds.push((cpuMs() - started) / N)
  }
  return median(rounds)
}

const router = await startRouterProcess()
try {
  const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
  await client.loadKeys(privatePem)
  const request = requestOfSize(1024)
  // The byte counts of the sealed exchange, for the bare fetch: the request package and the answer.
  const requestBytes = (await client.encryptPayload(request)).length
  let answerBytes = 0
  let headers
  const measuring = new SecureCompletionClient({
    routerUrl: router.url,
    allowHttp: true,
    fetch: async (input, init) => {
      if (init?.method === 'POST') headers = Object.fromEntries(new Headers(init.headers))
      const response = await fetch(input, init)
      const body = new Uint8Array(await response.arrayBuffer())
      answerBytes = body.length
      return new Response(body, { status: response.status, headers: response.headers })
    },
  })
  await measuring.loadKeys(privatePem)
  await measuring.sendSecureRequest(request)

  const rsa = { name: 'RSA-OAEP', hash: 'SHA-256' }
  const rsaPublic = await subtle.importKey('spki', pemDer(publicPem), rsa, false, ['encrypt'])
  const rsaPrivate = await subtle.importKey('pkcs8', pemDer(privatePem), rsa, false, ['decrypt'])
  const wrapped = await subtle.encrypt(rsa, rsaPublic, new Uint8Array(32))
  const rsaFloor = async () => {
    await subtle.encrypt(rsa, rsaPublic, new Uint8Array(32))
    await subtle.decrypt(rsa, rsaPrivate, wrapped)
  }
  const body = new Uint8Array(requestBytes).fill(0x41)
  const bareFetch = async () => {
    const response = await fetch(`${router.url}/__bench/bytes?n=${answerBytes}`, { method: 'POST', headers, body })
    await response.arrayBuffer()
  }
  const secure = () => client.sendSecureRequest(request)

  // Warm up all three, then interleave them so load from other processes hits each alike.
  for (const fn of [rsaFloor, bareFetch, secure]) for (let i = 0; i < 10; i++) await fn()
  const samples = { client: [], rsa: [], fetch: [] }
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    samples.rsa.push(await perCall(rsaFloor))
    samples.fetch.push(await perCall(bareFetch))
    samples.client.push(await perCall(secure))
  }
  const [clientMs, rsaMs, fetchMs] = [median(samples.client), median(samples.rsa), median(samples.fetch)]
  console.log(
    JSON.stringify({
      runtime: runtimeName(),
      version: runtimeVersion(),
      requestBytes,
      answerBytes,
      headerBytes: Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0),
      requests: N * ROUNDS * samples.client.length,
      clientMs,
      rsaMs,
      fetchMs,
      budgetMs: rsaMs + fetchMs + 1,
      withinTarget: clientMs <= rsaMs + fetchMs + 1,
    }),
  )
} finally {
  await router.stop()
}
