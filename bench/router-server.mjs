// The real router handler (dist/router) on 127.0.0.1 in its own process, so the client under test
// shares neither its event loop nor its heap. Prints `{"url": ...}` once listening.
//   GET /__bench/stats  → { keyFetches, completions, handlerMs } since start (or the last reset)
//   POST /__bench/reset → zeroes the counters
//   POST /__bench/plain → the same sized answer as plain JSON, unencrypted: the baseline of a plain
//                         OpenAI-compatible exchange for the memory run
//   POST /__bench/bytes?n=N → N bytes (the body is read and dropped): the bare fetch of the CPU run
// The completion echoes the last message, or when the request carries `bench_answer_bytes`, answers a
// completion of exactly that many bytes of JSON (for the 10 MiB memory run).
import { createSecureRouter, loadKeyPair } from '../dist/router/index.js'
import { serve } from '../dist/runtime/node.js'
import { answerOfSize, loadKeyPems } from './common.mjs'

const { privatePem } = loadKeyPems()
const keyPair = await loadKeyPair(privatePem)

const stats = { keyFetches: 0, completions: 0, handlerMs: 0 }
const sized = new Map()

function sizedAnswer(bytes) {
  if (!sized.has(bytes)) sized.set(bytes, answerOfSize(bytes))
  return sized.get(bytes)
}

const handler = createSecureRouter({
  keyPair,
  complete: async (request) => {
    stats.completions++
    const bytes = request.bench_answer_bytes
    if (typeof bytes === 'number') return sizedAnswer(bytes)
    const last = request.messages?.[request.messages.length - 1]?.content ?? ''
    return {
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 1764000000,
      model: String(request.model),
      choices: [{ index: 0, message: { role: 'assistant', content: `echo: ${last}` }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }
  },
  onRequest: (event) => {
    if (event.path === '/pki/public_key' && event.method === 'GET') stats.keyFetches++
  },
})

const server = await serve(async (request) => {
  const path = new URL(request.url).pathname
  if (path === '/__bench/stats') return Response.json(stats)
  if (path === '/__bench/reset') {
    Object.assign(stats, { keyFetches: 0, completions: 0, handlerMs: 0 })
    return Response.json(stats)
  }
  if (path === '/__bench/bytes') {
    await request.arrayBuffer()
    return new Response(new Uint8Array(Number(new URL(request.url).searchParams.get('n'))))
  }
  if (path === '/__bench/plain') return Response.json(sizedAnswer((await request.json()).bench_answer_bytes))
  const started = performance.now()
  const response = await handler(request)
  stats.handlerMs += performance.now() - started
  return response
})

console.log(JSON.stringify({ url: server.url }))
// The parent closing our stdin is the signal to go.
process.stdin.resume()
process.stdin.on('end', () => server.close().then(() => process.exit(0)))
