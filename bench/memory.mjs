// Peak memory growth of one 10 MiB request + 10 MiB answer through sendSecureRequest, against the
// router in another (Node) process so only the client is counted. One exchange per fresh process:
//   node --expose-gc bench/memory.mjs [--bytes N] [--dist DIR] [--plain | --floor]
//   deno run -A --v8-flags=--expose-gc bench/memory.mjs …      bun bench/memory.mjs …
// --plain measures the baseline instead: the same exchange as plain JSON over fetch, no encryption
// (what a plain OpenAI-compatible client needs), against the same router process.
// --floor measures the cryptographic floor of section 1 on the same bytes, without HTTP:
// JSON.stringify, UTF-8, RSA-OAEP and AES-GCM and base64 out; base64, RSA-OAEP, AES-GCM, UTF-8 and
// JSON.parse back (the answer's ciphertext is made before measuring).
// The baseline is taken after the request object exists and after a GC: what is measured is what the
// client allocates on top of the caller's own data, including the decrypted answer it returns.
import { MiB, answerOfSize, collectGarbage, fromBase64, loadKeyPems, pemDer, runtimeName, runtimeVersion, toBase64 } from './common.mjs'
import { exactPeak, peakRss, resetPeak, rss } from './peak-memory.mjs'
import { startRouterProcess } from './processes.mjs'

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2)
const option = (name) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const BYTES = Number(option('--bytes') ?? 10 * MiB)
// --request-bytes / --answer-bytes measure one direction alone (the other side then stays small).
const REQUEST_BYTES = Number(option('--request-bytes') ?? BYTES)
const ANSWER_BYTES = Number(option('--answer-bytes') ?? BYTES)
// --dist DIR (relative to bench/): measure another build of the client. The runtime's own entry,
// what `nomyo-secure` resolves to there: its platform defaults (such as streamUploads) count.
const entry = `${option('--dist') ?? '../dist'}/runtime/${runtimeName()}.js`
const { SecureCompletionClient } = await import(new URL(entry, import.meta.url).href)
const { privatePem } = loadKeyPems()
const router = await startRouterProcess()

// The request is built with one repeat() so that building it leaves no higher RSS peak behind.
function bigRequest(bytes, answerBytes = bytes) {
  const shell = { model: 'Qwen/Qwen3-0.6B', messages: [{ role: 'user', content: '' }], bench_answer_bytes: answerBytes }
  const filler = 'lorem ipsum dolor sit amet, consectetur adipiscing elit '
  const need = bytes - JSON.stringify(shell).length
  shell.messages[0].content = filler.repeat(Math.ceil(need / filler.length)).slice(0, need)
  return shell
}

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    collectGarbage()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
const plain = args.includes('--plain')
const floor = args.includes('--floor')

/** The floor's two directions, with `prepare(answerBytes)` sealing the answer beforehand. */
async function cryptoFloor() {
  const subtle = globalThis.crypto.subtle
  const rsa = { name: 'RSA-OAEP', hash: 'SHA-256' }
  const { privatePem, publicPem } = loadKeyPems()
  const rsaPublic = await subtle.importKey('spki', pemDer(publicPem), rsa, false, ['encrypt'])
  const rsaPrivate = await subtle.importKey('pkcs8', pemDer(privatePem), rsa, false, ['decrypt'])
  const aes = await subtle.importKey('raw', globalThis.crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt', 'decrypt'])
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const wrappedKey = await subtle.encrypt(rsa, rsaPublic, new Uint8Array(32))
  const answers = new Map()
  return {
    async prepare(answerBytes) {
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, aes, new TextEncoder().encode(JSON.stringify(answerOfSize(answerBytes))))
      answers.set(answerBytes, toBase64(new Uint8Array(sealed)))
    },
    async exchange(body) {
      const plaintext = new TextEncoder().encode(JSON.stringify(body))
      await subtle.encrypt(rsa, rsaPublic, new Uint8Array(32))
      toBase64(new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, aes, plaintext)))
      const ciphertext = fromBase64(answers.get(body.bench_answer_bytes))
      await subtle.decrypt(rsa, rsaPrivate, wrappedKey)
      return JSON.parse(new TextDecoder().decode(await subtle.decrypt({ name: 'AES-GCM', iv }, aes, ciphertext)))
    },
  }
}

try {
  const client = new SecureCompletionClient({ routerUrl: router.url, allowHttp: true })
  await client.loadKeys(privatePem)
  // Every mode seals the floor's answer beforehand, not only the floor, which needs it: so every
  // mode starts from the same allocator state. Deno keeps the memory a process has used (its RSS
  // does not fall after a GC), and a process that has just sealed 10 MiB has room to reuse.
  const floorRun = await cryptoFloor()
  const exchange = floor
    ? (body) => floorRun.exchange(body)
    : plain
      ? async (body) => {
          const response = await fetch(`${router.url}/__bench/plain`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          })
          return response.json()
        }
      : (body) => client.sendSecureRequest(body)
  // Warm up every code path (router key, fetch, JIT) with a small request of the same shape.
  await floorRun.prepare(64 * 1024)
  await floorRun.prepare(ANSWER_BYTES)
  await exchange(bigRequest(64 * 1024))
  const request = bigRequest(REQUEST_BYTES, ANSWER_BYTES)
  await settle()

  const before = rss()
  resetPeak()
  const peakBefore = peakRss()
  let sampled = before
  const sampler = setInterval(() => (sampled = Math.max(sampled, rss())), 1)
  const answer = await exchange(request)
  clearInterval(sampler)
  const peakAfter = peakRss()
  const answerBytes = JSON.stringify({ ...answer, _metadata: undefined }).length
  const afterCall = rss()
  await settle()
  const retained = rss()

  // Without an exact peak (not Linux) the process's maxRSS covers its whole life and the sampler
  // only sees event-loop turns: when the earlier peak was higher, the sampled figure is a lower bound.
  const peakGrowth = Math.max(peakAfter, sampled) - before
  const result = {
    runtime: runtimeName(),
    version: runtimeVersion(),
    mode: floor ? 'cryptographic floor' : plain ? 'plain JSON over fetch' : 'sendSecureRequest',
    exactPeak,
    payloadBytes: BYTES,
    requestBytes: REQUEST_BYTES,
    answerBytes,
    rssBefore: before,
    peakRssGrowth: peakGrowth,
    peakRssGrowthSampled: sampled - before,
    baselinePeakAboveRss: peakBefore > before ? peakBefore - before : 0,
    multipleOfPayload: peakGrowth / BYTES,
    rssGrowthAfterCall: afterCall - before,
    retainedAfterGc: retained - before,
  }
  console.log(JSON.stringify(result))
} finally {
  await router.stop()
}
