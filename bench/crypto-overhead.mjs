// Client overhead vs the cryptographic floor, one runtime per process:
//   node bench/crypto-overhead.mjs | deno run -A bench/crypto-overhead.mjs | bun bench/crypto-overhead.mjs
// Prints one JSON line (the results) on stdout. bench/run.mjs starts it under each runtime.
//
// Client path: encryptPayload(request) + decryptResponse(sealed answer of the same size), through the
// built dist/index.js. Floor, on the same bytes: JSON.stringify + JSON.parse, one RSA-OAEP encrypt +
// one RSA-OAEP decrypt (RSA-4096 like production), AES-256-GCM encrypt + decrypt, and the runtime's
// fastest built-in base64 both ways. Everything the floor needs is prepared outside the timed region.
// Also reported, not in the floor: UTF-8 encode/decode of the plaintext (ratioWithUtf8).
import {
  KiB,
  MiB,
  answerOfSize,
  base64Kind,
  collectGarbage,
  fromBase64,
  loadKeyPems,
  median,
  pemDer,
  requestOfSize,
  runtimeName,
  runtimeVersion,
  toBase64,
} from './common.mjs'

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : fallback
}
// --dist lets one bench compare two builds (e.g. before and after a change).
const dist = new URL(option('--dist', '../dist') + '/index.js', import.meta.url)
// --quick trades precision for time (CI smoke runs).
const quick = args.includes('--quick')
const sizes = (option('--sizes', '') || '1024,102400,1048576,10485760').split(',').map(Number)

const { SecureCompletionClient } = await import(dist.href)
const subtle = globalThis.crypto.subtle

const collect = collectGarbage

function repsFor(size) {
  const reps = size <= 1 * KiB ? 61 : size <= 100 * KiB ? 41 : size <= 1 * MiB ? 25 : 15
  return quick ? Math.max(3, Math.ceil(reps / 4)) : reps
}

async function main() {
  const { privatePem, publicPem } = loadKeyPems()
  const client = new SecureCompletionClient({ routerUrl: 'https://router.invalid', routerPublicKey: publicPem })
  await client.loadKeys(privatePem)
  await client.fetchServerPublicKey()

  const rsa = { name: 'RSA-OAEP', hash: 'SHA-256' }
  const rsaPublic = await subtle.importKey('spki', pemDer(publicPem), rsa, false, ['encrypt'])
  const rsaPrivate = await subtle.importKey('pkcs8', pemDer(privatePem), rsa, false, ['decrypt'])
  const aesKey = await subtle.importKey('raw', globalThis.crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ])
  const rawKey = globalThis.crypto.getRandomValues(new Uint8Array(32))
  const wrappedKey = new Uint8Array(await subtle.encrypt(rsa, rsaPublic, rawKey))
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const encoder = new TextEncoder()

  const results = []
  for (const size of sizes) {
    try {
      results.push(await measure(size))
    } catch (error) {
      // One size failing (e.g. a build that cannot handle 10 MiB) must not hide the others.
      results.push({ size, error: `${error?.name}: ${error?.message}`.slice(0, 300) })
    }
  }
  return { runtime: runtimeName(), version: runtimeVersion(), base64: base64Kind, gc: Boolean(globalThis.gc || globalThis.Bun), results }

  async function measure(size) {
    const request = requestOfSize(size)
    const answer = answerOfSize(size)
    const requestBytes = encoder.encode(JSON.stringify(request))
    const answerText = JSON.stringify(answer)
    if (requestBytes.length !== size || answerText.length !== size) throw new Error(`payload sizing is off at ${size}`)
    // The client's router key is its own public key, so encryptPayload seals an answer it can open.
    const sealedAnswer = await client.encryptPayload(answer)
    const answerCiphertext = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, aesKey, encoder.encode(answerText)))
    const answerBase64 = toBase64(answerCiphertext.subarray(0, answerCiphertext.length - 16))

    const clientEncrypt = async () => client.encryptPayload(request)
    const clientDecrypt = async () => client.decryptResponse(sealedAnswer, 'bench')
    const floorEncrypt = async () => {
      JSON.stringify(request)
      await subtle.encrypt(rsa, rsaPublic, rawKey)
      toBase64(new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, aesKey, requestBytes)))
    }
    const floorDecrypt = async () => {
      await subtle.decrypt(rsa, rsaPrivate, wrappedKey)
      fromBase64(answerBase64)
      await subtle.decrypt({ name: 'AES-GCM', iv }, aesKey, answerCiphertext)
      JSON.parse(answerText)
    }
    // Not part of the floor, shown beside it: bytes ↔ string for the plaintext both ways, which
    // any client of a byte-oriented cipher pays on top of JSON.
    const requestText = JSON.stringify(request)
    const answerBytes = encoder.encode(answerText)
    const utf8 = async () => {
      encoder.encode(requestText)
      new TextDecoder('utf-8', { fatal: true }).decode(answerBytes)
    }
    // A wrong client path must fail the bench, not look fast.
    const check = await clientDecrypt()
    if (check.choices[0].message.content.length !== answer.choices[0].message.content.length) throw new Error('round trip mismatch')

    const time = async (fn) => {
      collect()
      const started = performance.now()
      await fn()
      return performance.now() - started
    }
    const samples = {
      clientEncrypt: [],
      clientDecrypt: [],
      floorEncrypt: [],
      floorDecrypt: [],
      utf8: [],
      client: [],
      floor: [],
      floorWithUtf8: [],
    }
    // Each side runs in blocks of its own: one untimed round, then BLOCK timed ones, blocks in
    // turn (client first, then floor first, and so on), so that drift hits both alike. Not op by
    // op in turn: the allocator state one side leaves moves the other's next op by up to 12 ms at
    // 10 MiB in Node (the same encrypt took 27 ms after an encrypt and 40 ms after a decrypt), and
    // a client in use runs request after request, each in the state its last one left.
    const BLOCK = 3
    const warmup = size <= 100 * KiB ? 10 : 2
    const reps = repsFor(size)
    const round = async (side, timed) => {
      const taken =
        side === 'client'
          ? { clientEncrypt: await time(clientEncrypt), clientDecrypt: await time(clientDecrypt) }
          : { floorEncrypt: await time(floorEncrypt), floorDecrypt: await time(floorDecrypt), utf8: await time(utf8) }
      if (!timed) return
      for (const [name, ms] of Object.entries(taken)) samples[name].push(ms)
      if (side === 'client') samples.client.push(taken.clientEncrypt + taken.clientDecrypt)
      else {
        samples.floor.push(taken.floorEncrypt + taken.floorDecrypt)
        samples.floorWithUtf8.push(taken.floorEncrypt + taken.floorDecrypt + taken.utf8)
      }
    }
    for (let i = 0; i < warmup; i++) for (const side of ['client', 'floor']) await round(side, false)
    for (let block = 0; samples.client.length < reps; block++) {
      for (const side of block % 2 ? ['floor', 'client'] : ['client', 'floor']) {
        await round(side, false)
        for (let i = 0; i < BLOCK; i++) await round(side, true)
      }
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]))
    return { size, reps, ...medians, ratio: medians.client / medians.floor, ratioWithUtf8: medians.client / medians.floorWithUtf8 }
  }
}

const output = await main()
console.log(JSON.stringify(output))
