// The Worker of bench/workerd-memory.mjs, bundled as wrangler would (conditions workerd, worker,
// browser). POST / with {role, …}:
//   role "router": this Worker is the router handler; the Node client sends it the exchange.
//   role "client": sendSecureRequest from here to the Node router (routerUrl), `bytes` each way.
//   role "floor":  the cryptographic floor of the same bytes (as bench/memory.mjs --floor), no HTTP.
// Every role is driven by the Node side, which reads this workerd process's memory around one call.
import { createSecureRouter, loadKeyPair } from '../dist/router/index.js'
import { SecureCompletionClient } from '../dist/runtime/workers.js'

let router
let client
let floor
const answers = new Map()

/** A chat completion whose JSON is `bytes` long (ASCII), built with one repeat(). */
function answerOfSize(bytes) {
  const shell = {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
  }
  shell.choices[0].message.content = 'x'.repeat(bytes - JSON.stringify(shell).length)
  return shell
}
function requestOfSize(bytes, answerBytes) {
  const shell = { model: 'm', messages: [{ role: 'user', content: '' }], bench_answer_bytes: answerBytes }
  shell.messages[0].content = 'y'.repeat(bytes - JSON.stringify(shell).length)
  return shell
}

async function setUpFloor(env) {
  const subtle = crypto.subtle
  const rsa = { name: 'RSA-OAEP', hash: 'SHA-256' }
  const der = (pem) => Uint8Array.fromBase64(pem.replace(/-----[^-]+-----|\s+/g, ''))
  const keys = await loadKeyPair(env.ROUTER_KEY_PEM)
  const spki = await subtle.exportKey('spki', keys.publicKey)
  const rsaPublic = await subtle.importKey('spki', spki, rsa, false, ['encrypt'])
  const rsaPrivate = await subtle.importKey('pkcs8', der(env.ROUTER_KEY_PEM), rsa, false, ['decrypt'])
  const aes = await subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt', 'decrypt'])
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const wrappedKey = await subtle.encrypt(rsa, rsaPublic, new Uint8Array(32))
  return {
    async prepare(bytes) {
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, aes, new TextEncoder().encode(JSON.stringify(answerOfSize(bytes))))
      answers.set(bytes, new Uint8Array(sealed).toBase64())
    },
    async exchange(body) {
      const plaintext = new TextEncoder().encode(JSON.stringify(body))
      await subtle.encrypt(rsa, rsaPublic, new Uint8Array(32))
      new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, aes, plaintext)).toBase64()
      const ciphertext = Uint8Array.fromBase64(answers.get(body.bench_answer_bytes))
      await subtle.decrypt(rsa, rsaPrivate, wrappedKey)
      return JSON.parse(new TextDecoder().decode(await subtle.decrypt({ name: 'AES-GCM', iv }, aes, ciphertext)))
    },
  }
}

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname
    if (path !== '/__bench') {
      router ??= createSecureRouter({
        keyPair: await loadKeyPair(env.ROUTER_KEY_PEM),
        complete: async (completion) => answerOfSize(completion.bench_answer_bytes ?? 1000),
      })
      return router(request)
    }
    const { role, routerUrl, bytes, prepare } = await request.json()
    if (role === 'floor') {
      floor ??= await setUpFloor(env)
      if (prepare) {
        await floor.prepare(bytes)
        return Response.json({ ok: true })
      }
      const answer = await floor.exchange(requestOfSize(bytes, bytes))
      return Response.json({ answerBytes: JSON.stringify(answer).length })
    }
    if (!client) {
      client = new SecureCompletionClient({ routerUrl, allowHttp: true })
      await client.loadKeys(env.ROUTER_KEY_PEM)
    }
    const answer = await client.sendSecureRequest(requestOfSize(bytes, bytes))
    return Response.json({ answerBytes: JSON.stringify({ ...answer, _metadata: undefined }).length })
  },
}
