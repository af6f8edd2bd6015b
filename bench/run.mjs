// `npm run bench`: every benchmark of issue 6, each in its own process, then one table and
// bench/results.json. Builds dist first when it is missing (it never rebuilds a present dist: run
// `npm run build` after changing src).
//   node bench/run.mjs [--quick] [--only overhead,e2e,cpu,memory,workerd,browser,bundle] [--dist ../other-dist]
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { bundleSizes } from './bundle-size.mjs'
import { KiB, MiB, fmtBytes, fmtMs } from './common.mjs'
import { REPO, runJson } from './processes.mjs'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const onlyAt = args.indexOf('--only')
const parts = new Set(onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['bundle', 'overhead', 'e2e', 'cpu', 'memory', 'workerd', 'browser'])
const passQuick = quick ? ['--quick'] : []
// --dist DIR (relative to bench/) runs the overhead bench against another build, e.g. a copy of dist from before a change.
const distAt = args.indexOf('--dist')
const passDist = distAt >= 0 ? ['--dist', args[distAt + 1]] : []

// Issue 16: time ratio ≤ 1.2; memory ≤ 1.25× the floor and ≤ 10× the payload; CPU ≤ RSA + fetch + 1 ms.
const TARGET = { ratio: 1.2, memoryOfFloor: 1.25, memoryMultiple: 10, cpuSlackMs: 1, warmMs: 50, workerdBytes: 128e6 }
const BIN = join(REPO, 'node_modules', '.bin')
// Deno and Bun run the client; the router process they start is this Node.
process.env.NOMYO_BENCH_NODE = process.execPath
const RUNTIMES = [
  ['node', process.execPath, ['--expose-gc']],
  ['deno', join(BIN, 'deno'), ['run', '-A', '--v8-flags=--expose-gc']],
  ['bun', join(BIN, 'bun'), []],
]

const needed = ['index.js', 'router/index.js', 'runtime/node.js', 'nomyo-secure.browser.min.js', 'nomyo-secure.iife.min.js']
if (needed.some((file) => !existsSync(join(REPO, 'dist', file)))) {
  console.log('dist/ is incomplete: building it first (npm run build)')
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const version = (command, flag = '--version') => {
  const out = spawnSync(command, [flag], { encoding: 'utf8' })
  return out.status === 0 ? out.stdout.split('\n')[0].trim() : undefined
}

const started = Date.now()
const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    loadAverageAtStart: loadavg().map((n) => +n.toFixed(2)),
    node: process.version,
    deno: version(join(BIN, 'deno'))?.split(' ')[1],
    bun: version(join(BIN, 'bun')),
  },
  targets: TARGET,
}
const log = (line = '') => console.log(line)
const step = (name) => process.stderr.write(`bench: ${name}…\n`)

const mark = (ok) => (ok ? 'ok' : 'MISS')
// `right`: the columns of numbers, lined up on the right.
const table = (header, rows, right = []) => {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)))
  const line = (row) =>
    row
      .map((cell, i) => (right.includes(i) ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  log(line(header))
  for (const row of rows) log(line(row))
  log()
}

/** The result with the median ratio among runs of one size, with every run's ratio. */
function medianRun(results) {
  const good = results.filter((r) => !r.error).sort((a, b) => a.ratio - b.ratio)
  if (good.length < results.length) return results.find((r) => r.error)
  return { ...good[good.length >> 1], ratios: good.map((r) => r.ratio) }
}

// One part failing is reported in its place; the others still run.
const attempt = async (run) => {
  try {
    return await run()
  } catch (error) {
    return { error: String(error.message).slice(0, 1500) }
  }
}

if (parts.has('bundle')) {
  step('bundle sizes')
  results.bundle = await attempt(async () => bundleSizes())
}

if (parts.has('overhead')) {
  results.overhead = []
  const runtimes = RUNTIMES.map(([name, command, flags]) => [name, command, [...flags, 'bench/crypto-overhead.mjs']])
  // Large payloads swing with the process's allocator and heap state (both sides of the ratio), so
  // each runtime runs in PROCESSES fresh processes; per size the median run is shown, with the range.
  const PROCESSES = quick ? 1 : 3
  for (const [name, command, base] of runtimes) {
    step(`client overhead vs floor in ${name}`)
    try {
      const runs = []
      for (let i = 0; i < PROCESSES; i++) runs.push(await runJson(command, [...base, ...passQuick, ...passDist]))
      results.overhead.push({
        ...runs[0],
        processes: PROCESSES,
        results: runs[0].results.map((_, at) => medianRun(runs.map((run) => run.results[at]))),
      })
    } catch (error) {
      results.overhead.push({ runtime: name, error: String(error.message).slice(0, 500) })
    }
  }
}

if (parts.has('e2e')) {
  step('end to end against the router on 127.0.0.1')
  results.e2e = await attempt(() => runJson(process.execPath, ['bench/e2e.mjs', ...passQuick]))
}

if (parts.has('cpu')) {
  results.cpu = []
  for (const [name, command, flags] of RUNTIMES) {
    step(`client CPU per request in ${name}`)
    results.cpu.push(await attempt(() => runJson(command, [...flags, 'bench/cpu.mjs', ...passQuick])))
    results.cpu.at(-1).runtime ??= name
  }
}

if (parts.has('memory')) {
  // RSS depends on when the garbage collector happens to run: fresh processes, the median run
  // reported. Per runtime: the client, the cryptographic floor (the target's base) and plain JSON
  // over fetch; the client and the floor alternate so load from other processes hits both alike.
  results.memory = []
  for (const [name, command, flags] of RUNTIMES) {
    step(`memory of one 10 MiB request + 10 MiB answer in ${name}`)
    results.memory.push(
      await attempt(async () => {
        const runs = { client: [], floor: [], plain: [] }
        for (let i = 0; i < (quick ? 1 : 3); i++) {
          for (const [mode, extra] of [
            ['client', []],
            ['floor', ['--floor']],
            ['plain', ['--plain']],
          ]) {
            runs[mode].push(await runJson(command, [...flags, 'bench/memory.mjs', ...extra]))
          }
        }
        const median = (list) => [...list].sort((a, b) => a.peakRssGrowth - b.peakRssGrowth)[list.length >> 1]
        const pick = (list) => ({ ...median(list), runs: list.map((r) => r.peakRssGrowth) })
        return {
          runtime: name,
          version: runs.client[0].version,
          client: pick(runs.client),
          floor: pick(runs.floor),
          plain: pick(runs.plain),
        }
      }),
    )
  }
}

if (parts.has('workerd')) {
  step('workerd (miniflare): the router handler, the client and the floor, 10 MiB each way')
  results.workerd = await attempt(() => runJson(process.execPath, ['bench/workerd-memory.mjs']))
}

if (parts.has('browser')) {
  step('browser start-up in Chromium')
  results.browser = await attempt(() => runJson(process.execPath, ['bench/browser.mjs', ...passQuick]))
  results.machine.chromium = results.browser.chromium
}

results.machine.loadAverageAtEnd = loadavg().map((n) => +n.toFixed(2))
results.seconds = (Date.now() - started) / 1000

// ---- report ----
const m = results.machine
log()
log(
  `nomyo-secure bench — ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, Deno ${m.deno ?? 'n/a'}, Bun ${m.bun ?? 'n/a'}${m.chromium ? `, Chromium ${m.chromium}` : ''}`,
)
log(
  `load average ${m.loadAverageAtStart.join(' ')} → ${m.loadAverageAtEnd.join(' ')}; ${results.seconds.toFixed(0)} s${quick ? ' (--quick)' : ''}`,
)
log()

if (results.overhead) {
  const processes = results.overhead.find((run) => run.processes)?.processes ?? 1
  log(`1. Client overhead vs the cryptographic floor (medians, ms; ratio = client / floor, target ≤ ${TARGET.ratio};`)
  log(`   each runtime in ${processes} fresh process${processes > 1 ? 'es: the median run, and the range of the ratio' : ''})`)
  const rows = []
  for (const run of results.overhead) {
    if (run.error) {
      rows.push([run.runtime, 'error', '', '', '', '', '', '', '', '', ''])
      continue
    }
    for (const r of run.results) {
      const payload = r.size >= MiB ? `${r.size / MiB} MiB` : `${r.size / KiB} KiB`
      if (r.error) {
        rows.push([`${run.runtime} ${run.version}`, payload, 'failed*', '', '', '', 'MISS', '', '', '', ''])
        continue
      }
      rows.push([
        `${run.runtime} ${run.version}`,
        payload,
        fmtMs(r.client),
        fmtMs(r.floor),
        r.ratio.toFixed(2),
        r.ratios.length > 1 ? `${r.ratios[0].toFixed(2)}–${r.ratios.at(-1).toFixed(2)}` : '',
        mark(r.ratio <= TARGET.ratio),
        `${fmtMs(r.clientEncrypt)} + ${fmtMs(r.clientDecrypt)}`,
        `${fmtMs(r.floorEncrypt)} + ${fmtMs(r.floorDecrypt)}`,
        fmtMs(r.utf8),
        r.ratioWithUtf8.toFixed(2),
      ])
    }
  }
  table(
    ['runtime', 'payload', 'client', 'floor', 'ratio', 'range', '', 'client enc + dec', 'floor enc + dec', 'UTF-8', 'ratio incl. UTF-8'],
    rows,
    [1, 2, 3, 4, 5, 7, 8, 9, 10],
  )
  const notes = results.overhead.flatMap((run) => [
    ...(run.error ? [`${run.runtime}: ${run.error}`] : []),
    ...(run.results ?? []).filter((r) => r.error).map((r) => `* ${run.runtime}, ${r.size} bytes: ${r.error}`),
  ])
  if (notes.length) log(notes.join('\n') + '\n')
}

const failed = (name, part) => part?.error && log(`${name}: failed\n${part.error}\n`)
failed('2. End to end', results.e2e)
failed('7. Bundle size', results.bundle)

if (results.e2e && !results.e2e.error) {
  const { sequential: s, concurrent: c } = results.e2e
  log('2. End to end, 1 KiB prompt, router handler in another process on 127.0.0.1')
  table(
    ['measure', 'value'],
    [
      ['sequential latency, median (p90)', `${fmtMs(s.medianMs)} ms (${fmtMs(s.p90Ms)} ms)`],
      ['throughput, 8 in flight', `${c.requestsPerSecond.toFixed(0)} req/s (${c.requests} requests)`],
      ['client share (seal, open, JSON)', `${(s.clientShare * 100).toFixed(0)} %  (${fmtMs(s.medianMs - s.medianWaitingMs)} ms)`],
      [
        'waiting share (HTTP + router)',
        `${(s.waitingShare * 100).toFixed(0)} %  (${fmtMs(s.medianWaitingMs)} ms, router handler ${fmtMs(s.routerHandlerMs)} ms)`,
      ],
      ['router key fetches per client', `${s.keyFetches} sequential, ${c.keyFetches} with 8 racing  ${mark(results.e2e.keyFetchedOnce)}`],
    ],
  )
}

if (results.cpu) {
  log(`3. Client CPU per request, 1 KiB prompt, router in another process (process CPU time, all threads;`)
  log(`   target: client ≤ RSA floor + bare fetch + ${TARGET.cpuSlackMs} ms)`)
  table(
    ['runtime', 'client', 'RSA floor', 'bare fetch', 'budget', '', 'bytes sent / received'],
    results.cpu.map((r) =>
      r.error
        ? [r.runtime, 'error', '', '', '', 'MISS', String(r.error).slice(0, 60)]
        : [
            `${r.runtime} ${r.version}`,
            `${fmtMs(r.clientMs)} ms`,
            `${fmtMs(r.rsaMs)} ms`,
            `${fmtMs(r.fetchMs)} ms`,
            `${fmtMs(r.budgetMs)} ms`,
            mark(r.withinTarget),
            `${r.requestBytes} / ${r.answerBytes}`,
          ],
    ),
    [1, 2, 3, 4],
  )
}

if (results.memory) {
  log(`4. Memory, one 10 MiB request + 10 MiB answer: peak RSS growth (median of runs; target ≤ ${TARGET.memoryOfFloor}× the`)
  log(`   cryptographic floor of the same run and ≤ ${TARGET.memoryMultiple}× the payload; VmHWM reset before the call, exact)`)
  const rows = []
  for (const r of results.memory) {
    if (r.error) {
      rows.push(['error', String(r.error).slice(0, 80), '', '', '', '', ''])
      continue
    }
    const ofFloor = r.client.peakRssGrowth / r.floor.peakRssGrowth
    const multiple = r.client.peakRssGrowth / r.client.payloadBytes
    const runs = (list) => list.map((n) => (n / MiB).toFixed(0)).join(', ')
    rows.push([
      `${r.runtime} ${r.version}`,
      `${fmtBytes(r.client.peakRssGrowth)} (${runs(r.client.runs)})`,
      `${fmtBytes(r.floor.peakRssGrowth)} (${runs(r.floor.runs)})`,
      `${fmtBytes(r.plain.peakRssGrowth)} (${runs(r.plain.runs)})`,
      `${ofFloor.toFixed(2)}× ${mark(ofFloor <= TARGET.memoryOfFloor)}`,
      `${multiple.toFixed(1)}× ${mark(multiple <= TARGET.memoryMultiple)}`,
      fmtBytes(r.client.retainedAfterGc),
    ])
  }
  table(
    ['runtime', 'client (runs, MiB)', 'floor (runs)', 'plain JSON over fetch (runs)', 'client / floor', '× payload', 'retained after GC'],
    rows,
  )
}

if (results.workerd) {
  const w = results.workerd
  log(`5. workerd (miniflare), one 10 MiB request + 10 MiB answer: peak growth of the workerd process`)
  log(`   (no memory limit can be set through miniflare; compared with Cloudflare's 128 MB isolate limit)`)
  if (w.error) log(`error: ${w.error}\n`)
  else {
    const by = Object.fromEntries(w.results.map((r) => [r.role, r]))
    const line = (r) =>
      `${fmtBytes(r.peakRssGrowth)} = ${r.multipleOfPayload.toFixed(1)}× payload, ${mark(r.peakRssGrowth <= TARGET.workerdBytes)} under 128 MB`
    table(
      ['measure', 'value'],
      [
        ['router handler in workerd (Node client)', line(by.router)],
        ['client in workerd (Node router)', line(by.client)],
        ['cryptographic floor in workerd', line(by.floor)],
        ['client / floor', `${(by.client.peakRssGrowth / by.floor.peakRssGrowth).toFixed(2)}×`],
      ],
    )
  }
}

if (results.browser) {
  const b = results.browser
  log(`6. Browser start-up to the first request ready (Chromium, target warm ≤ ${TARGET.warmMs} ms)`)
  if (b.error) log(`error: ${b.error}\n`)
  else {
    table(
      ['measure', 'value'],
      [
        ['key store', `${b.keyStore}${b.keysPersisted ? '' : ' (not persisted)'}`],
        [
          'warm: key pair in IndexedDB',
          `${fmtMs(b.warm.medianMs)} ms  ${mark(b.warm.medianMs <= TARGET.warmMs)}  (${fmtMs(b.warm.medianSinceNavigationMs)} ms from navigation)`,
        ],
        ['cold: RSA-4096 pair generated', `${fmtMs(b.cold.medianMs)} ms (${fmtMs(b.cold.minMs)}–${fmtMs(b.cold.maxMs)})`],
        ['bundle import', `${fmtMs(b.bundleImportMs)} ms`],
      ],
    )
  }
}

if (results.bundle && !results.bundle.error) {
  log('7. Bundle size, minified + gzip -9 (1 KB = 1000 bytes)')
  table(
    ['bundle', 'minified', 'gzip', 'target', '', 'lazy chunks (gzip)'],
    results.bundle.map((b) => [
      b.name,
      `${(b.bytes / 1000).toFixed(1)} KB`,
      `${(b.gzip / 1000).toFixed(2)} KB`,
      `${b.target / 1000} KB`,
      mark(b.withinTarget),
      b.lazy.files.length ? `${(b.lazy.gzip / 1000).toFixed(2)} KB` : '—',
    ]),
    [1, 2, 3, 5],
  )
}

writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n')
log('written: bench/results.json')
