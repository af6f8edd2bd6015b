// workerd (through miniflare): peak memory growth of the workerd process around one 10 MiB request +
// 10 MiB answer, for the router handler running in workerd (the Node client sends the exchange), for
// the client running in workerd (against the Node router in another process) and for the
// cryptographic floor in workerd. Read from /proc/<workerd pid> (VmHWM reset through clear_refs), so
// Linux only. miniflare offers no memory limit to enforce (workerd's open-source runtime has none;
// Cloudflare's 128 MB isolate limit is applied by their production runtime), so the measured peak is
// compared with 128 MB instead.
//   node bench/workerd-memory.mjs [--bytes N] [--role router|client|floor]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { Miniflare } from 'miniflare'
import { rollup } from 'rollup'
import { MiB, loadKeyPems } from './common.mjs'
import { startRouterProcess } from './processes.mjs'

const option = (name) => {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}
const BYTES = Number(option('--bytes') ?? 10 * MiB)
const roles = option('--role') ? [option('--role')] : ['router', 'client', 'floor']
const LIMIT = 128 * 1000 * 1000

const build = await rollup({
  input: new URL('./workerd-worker.mjs', import.meta.url).pathname,
  plugins: [nodeResolve({ browser: true, exportConditions: ['workerd', 'worker', 'browser', 'import', 'default'] })],
})
const { output } = await build.generate({ format: 'esm', inlineDynamicImports: true })
await build.close()

/** The workerd processes started by this process (miniflare spawns workerd as a direct child). */
function workerdPids() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')
      } catch {
        return false
      }
    })
}
const status = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024

async function measure(role) {
  const { privatePem } = loadKeyPems()
  const before = new Set(workerdPids())
  const mf = new Miniflare({
    modules: true,
    script: output[0].code,
    compatibilityDate: '2025-09-01',
    bindings: { ROUTER_KEY_PEM: privatePem },
    host: '127.0.0.1',
    port: 0,
  })
  const nodeRouter = role === 'client' ? await startRouterProcess() : undefined
  try {
    const url = (await mf.ready).origin
    const [pid] = workerdPids().filter((p) => !before.has(p))
    if (!pid) throw new Error('no workerd child process found')
    const { SecureCompletionClient } = await import('../dist/index.js')
    const client = new SecureCompletionClient({ routerUrl: url, allowHttp: true })
    await client.loadKeys(privatePem)
    const drive = async (bytes) => {
      if (role === 'router') return client.sendSecureRequest(requestOfSize(bytes))
      const response = await fetch(`${url}/__bench`, { method: 'POST', body: JSON.stringify({ role, bytes, routerUrl: nodeRouter?.url }) })
      if (!response.ok) throw new Error(`the worker answered ${response.status}: ${await response.text()}`)
      return response.json()
    }
    if (role === 'floor') {
      for (const bytes of [64 * 1024, BYTES]) {
        await fetch(`${url}/__bench`, { method: 'POST', body: JSON.stringify({ role, bytes, prepare: true }) }).then((r) => r.json())
      }
    }
    await drive(64 * 1024)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const rss = status(pid, 'VmRSS')
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    await drive(BYTES)
    const peak = status(pid, 'VmHWM')
    return {
      role,
      payloadBytes: BYTES,
      rssBefore: rss,
      peakRss: peak,
      peakRssGrowth: peak - rss,
      multipleOfPayload: (peak - rss) / BYTES,
      underLimit: peak - rss <= LIMIT,
    }
  } finally {
    await nodeRouter?.stop()
    await mf.dispose()
  }
}

function requestOfSize(bytes) {
  const shell = { model: 'm', messages: [{ role: 'user', content: '' }], bench_answer_bytes: bytes }
  shell.messages[0].content = 'y'.repeat(bytes - JSON.stringify(shell).length)
  return shell
}

const results = []
for (const role of roles) results.push(await measure(role))
console.log(JSON.stringify({ runtime: 'workerd', limitBytes: LIMIT, memoryLimitEnforced: false, results }))
