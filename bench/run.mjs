// `npm run bench`: every benchmark of issue 6, each in its own process, then one table and
// bench/results.json. Builds dist first when it is missing (it never rebuilds a present dist: run
// `npm run build` after changing src).
//   node bench/run.mjs [--quick] [--only overhead,e2e,memory,browser,bundle] [--dist ../other-dist]
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
const parts = new Set(onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['bundle', 'overhead', 'e2e', 'memory', 'browser'])
const passQuick = quick ? ['--quick'] : []
// --dist DIR (relative to bench/) runs the overhead bench against another build, e.g. a copy of dist from before a change.
const distAt = args.indexOf('--dist')
const passDist = distAt >= 0 ? ['--dist', args[distAt + 1]] : []

const TARGET = { ratio: 1.3, memoryMultiple: 6, warmMs: 50 }
const BIN = join(REPO, 'node_modules', '.bin')

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
  const runtimes = [
    ['node', process.execPath, ['--expose-gc', 'bench/crypto-overhead.mjs']],
    ['deno', join(BIN, 'deno'), ['run', '--allow-read', '--v8-flags=--expose-gc', 'bench/crypto-overhead.mjs']],
    ['bun', join(BIN, 'bun'), ['bench/crypto-overhead.mjs']],
  ]
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

if (parts.has('memory')) {
  step('memory of one 10 MiB request + 10 MiB answer')
  // RSS depends on when V8 happens to collect: three fresh processes, the median run reported.
  // Two baselines: the same exchange as unencrypted JSON over fetch, and the cryptographic floor.
  const median = async (extra) => {
    const runs = []
    for (let i = 0; i < (quick ? 1 : 3); i++) runs.push(await runJson(process.execPath, ['--expose-gc', 'bench/memory.mjs', ...extra]))
    runs.sort((a, b) => a.peakRssGrowth - b.peakRssGrowth)
    return { ...runs[runs.length >> 1], runs: runs.map((r) => r.peakRssGrowth) }
  }
  results.memory = await attempt(async () => ({
    ...(await median([])),
    plain: await median(['--plain']),
    floor: await median(['--floor']),
  }))
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
failed('3. Memory', results.memory)
failed('5. Bundle size', results.bundle)

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

if (results.memory && !results.memory.error) {
  const r = results.memory
  log(
    `3. Memory, one ${fmtBytes(r.payloadBytes)} request + ${fmtBytes(r.answerBytes)} answer (Node, target ≤ ${TARGET.memoryMultiple}× payload)`,
  )
  table(
    ['measure', 'value'],
    [
      [
        'peak RSS growth (median of runs)',
        `${fmtBytes(r.peakRssGrowth)} = ${r.multipleOfPayload.toFixed(1)}× payload  ${mark(r.multipleOfPayload <= TARGET.memoryMultiple)}  (runs: ${r.runs.map(fmtBytes).join(', ')})`,
      ],
      [
        'plain JSON over fetch, same exchange',
        `${fmtBytes(r.plain.peakRssGrowth)} = ${r.plain.multipleOfPayload.toFixed(1)}× payload  (runs: ${r.plain.runs.map(fmtBytes).join(', ')})`,
      ],
      [
        'cryptographic floor, same bytes, no HTTP',
        `${fmtBytes(r.floor.peakRssGrowth)} = ${r.floor.multipleOfPayload.toFixed(1)}× payload  (runs: ${r.floor.runs.map(fmtBytes).join(', ')})`,
      ],
      [
        'client / plain, client / floor',
        `${(r.peakRssGrowth / r.plain.peakRssGrowth).toFixed(2)}×, ${(r.peakRssGrowth / r.floor.peakRssGrowth).toFixed(2)}×`,
      ],
      ['retained after GC (holds the answer)', fmtBytes(r.retainedAfterGc)],
      ['peak measured by', r.exactPeak ? 'VmHWM, reset before the call (exact)' : 'getrusage maxRSS and a 1 ms RSS sampler'],
    ],
  )
}

if (results.browser) {
  const b = results.browser
  log(`4. Browser start-up to the first request ready (Chromium, target warm ≤ ${TARGET.warmMs} ms)`)
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
  log('5. Bundle size, minified + gzip -9 (1 KB = 1000 bytes)')
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
