// The router for the stress test, in its own process so its RSS is its own: the built package's
// handler behind `serve()`, reporting its peak RSS (sampled every 10 ms) when asked over IPC.
import { readFileSync } from 'node:fs'
import { createSecureRouter, loadKeyPair } from '../../dist/router/index.js'
import { serve } from '../../dist/runtime/node.js'

const [pemPath, apiKey] = process.argv.slice(2)
const handler = createSecureRouter({
  keyPair: await loadKeyPair(readFileSync(pemPath, 'utf8')),
  apiKey,
  complete: async (request) => ({
    id: 'chatcmpl-stress',
    object: 'chat.completion',
    created: 0,
    model: String(request.model),
    choices: [],
  }),
})
const server = await serve(handler)
let peak = 0
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss())
}
setInterval(sample, 10).unref()
process.on('message', (message) => {
  sample()
  if (message === 'reset') peak = process.memoryUsage.rss()
  process.send({ rss: process.memoryUsage.rss(), peak })
})
process.on('disconnect', () => server.close().then(() => process.exit(0)))
process.send({ url: server.url })
