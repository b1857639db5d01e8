/**
 * make bench: every benchmark in one run, written to bench/results/latest.md (and latest.json, which
 * scripts/capacity.ts reads). Servers run as separate processes from the compiled build; autocannon
 * drives them over keep-alive connections from this process, on the same machine. Compared cases
 * alternate within each repetition (see alternate), except metrics on and off, which run at the same time;
 * every figure is the median (min – max) of the repetitions.
 *
 *   npm run bench [-- --reps 5 --seconds 5 --rss-seconds 60]
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { log } from './console.js'
import { assertAnswered, load, type LoadResult, rssBytes, type Server, startServer, stopServer } from './http.js'
import { modelBenchmark } from './model.js'
import { alternatingOrder, API, BARE, MODEL, ROW } from './servers.js'
import { formatPercent, formatSummary, machineDescription, type Summary, summarize } from './stats.js'

const { values } = parseArgs({
  options: { reps: { type: 'string', default: '5' }, seconds: { type: 'string', default: '5' }, 'rss-seconds': { type: 'string', default: '60' } }
})
const REPS = Number(values.reps)
const SECONDS = Number(values.seconds)
const RSS_SECONDS = Number(values['rss-seconds'])

const BATCH_ROWS = Array.from({ length: 1000 }, (_, i) => [4.5 + (i % 30) / 10, 2.5 + (i % 10) / 10, 1 + (i % 50) / 10, 0.1 + (i % 24) / 10])
const BATCH = JSON.stringify({ instances: BATCH_ROWS })
const INFER = JSON.stringify({ inputs: [{ name: 'input-0', shape: [1000, 4], datatype: 'FP64', data: BATCH_ROWS.flat() }] })

/** How `alternate` runs the cases, as the results say it. */
const ALTERNATING = 'each case first warmed up by one unrecorded run, then alternating, the order reversed every other repetition'

const ms = (x: number) => x.toFixed(3)

interface Compared { [name: string]: LoadResult[] }

/**
 * Runs each named case once unrecorded (V8 optimises the request path over the first tens of thousands
 * of requests), then once per repetition, in alternation, the order reversed every other repetition so
 * that neither case always runs first; returns every recorded result.
 */
async function alternate (cases: Record<string, () => Promise<LoadResult>>): Promise<Compared> {
  const results: Compared = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (const run of Object.values(cases)) await run()
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, run] of alternatingOrder(Object.entries(cases), rep)) {
      const result = await run()
      assertAnswered(name, result)
      results[name].push(result)
      log(`  ${name}, repetition ${rep + 1}: ${Math.round(result.rps)} req/s, p99 ${ms(result.latencyMs.p99)} ms`)
    }
  }
  return results
}

const pick = (results: LoadResult[], get: (r: LoadResult) => number): Summary => summarize(results.map(get))

async function httpSingleRow (api: Server, bare: Server) {
  const rows: string[] = []
  const ratios: Record<number, { rps: number, p99: number }> = {}
  const cpu: Record<string, number> = {}
  const answerBytes: Record<string, number> = {}
  for (const connections of [1, 10, 50]) {
    log(`single row, ${connections} connections`)
    const r = await alternate({
      'bare route': () => load(bare, '/predict', ROW, connections, SECONDS),
      '/predict': () => load(api, '/predict', ROW, connections, SECONDS)
    })
    for (const name of ['bare route', '/predict']) {
      const runs = r[name]
      rows.push(`| ${connections} | ${name} | ${formatSummary(pick(runs, (x) => x.rps))} | ${formatSummary(pick(runs, (x) => x.latencyMs.p50), 3)} | ` +
        `${formatSummary(pick(runs, (x) => x.latencyMs.p95), 3)} | ${formatSummary(pick(runs, (x) => x.latencyMs.p99), 3)} | ` +
        `${formatSummary(pick(runs, (x) => x.latencyMs.mean), 3)} | ${formatSummary(pick(runs, (x) => x.cpuPerRequestUs))} | ` +
        `${formatSummary(pick(runs, (x) => x.systemCpuPerRequestUs))} | ${formatSummary(pick(runs, (x) => x.loadGeneratorCpuPerRequestUs))} |`)
      if (connections === 10) cpu[name] = pick(runs, (x) => x.cpuPerRequestUs).median
      answerBytes[name] = Math.max(...runs.map((x) => x.answerBytes))
    }
    ratios[connections] = {
      rps: pick(r['/predict'], (x) => x.rps).median / pick(r['bare route'], (x) => x.rps).median,
      p99: pick(r['/predict'], (x) => x.latencyMs.p99).median / pick(r['bare route'], (x) => x.latencyMs.p99).median
    }
  }
  const markdown = `## HTTP, one row per request: POST /predict against a bare Fastify route

The bare route sits on the same path, parses the same JSON body and answers a constant object of the same
shape; nothing else. Same load generator (autocannon, keep-alive), same connections, ${SECONDS} s per run,
${ALTERNATING}, ${REPS} repetitions. Latency in ms; server CPU time per request in µs
(user + system, from /proc), and the kernel's part of it (system time: the socket reads and writes).
The load generator runs in the benchmark's process, on the same ${cpus().length} cores: its CPU time per request
(user + system) is the last column. It parses every answer: /predict's is ${answerBytes['/predict']} bytes with its
status line and headers, the bare route's ${answerBytes['bare route']}.

| connections | server | req/s | p50 | p95 | p99 | mean | CPU µs/req | of which kernel | load generator CPU µs/req |
|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

| ratio of the medians, /predict / bare route | req/s (target ≥ 0.8x) | p99 (target ≤ 1.25x) |
|---|---:|---:|
${[1, 10, 50].map((c) => `| ${c} connections | ${ratios[c].rps.toFixed(2)}x | ${ratios[c].p99.toFixed(2)}x |`).join('\n')}
`
  return { markdown, ratios, cpuPerRequestUs: cpu }
}

async function httpBatches (api: Server) {
  log('1,000-row batches')
  const r = await alternate({
    '/predict': () => load(api, '/predict', BATCH, 10, SECONDS),
    '/v2/models/iris/infer': () => load(api, '/v2/models/iris/infer', INFER, 10, SECONDS)
  })
  const rowsPerSecond = Object.fromEntries(Object.entries(r).map(([name, runs]) => [name, pick(runs, (x) => x.rps * 1000)]))
  const markdown = `## HTTP, 1,000-row batches

10 connections, ${SECONDS} s per run, ${ALTERNATING}, ${REPS} repetitions. Target ≥ 500,000 rows/s.

| route | rows/s | p99 latency (ms) |
|---|---:|---:|
${Object.entries(r).map(([name, runs]) => `| ${name} | ${formatSummary(rowsPerSecond[name])} | ${formatSummary(pick(runs, (x) => x.latencyMs.p99), 3)} |`).join('\n')}
`
  return { markdown, rowsPerSecond }
}

/**
 * /predict as shipped against /predict with the GC duration histogram (METRICS_GC_DURATION=true), one
 * connection, alternating: what observing every garbage collection costs the requests that meet one.
 */
async function gcDurationMetric (api: Server) {
  log('GC duration metric off and on, 1 connection')
  const withGc = await startServer(API, { ...MODEL, METRICS_GC_DURATION: 'true' })
  try {
    const r = await alternate({
      'off (the default)': () => load(api, '/predict', ROW, 1, SECONDS),
      on: () => load(withGc, '/predict', ROW, 1, SECONDS)
    })
    const p99 = (name: string) => pick(r[name], (x) => x.latencyMs.p99)
    const ratio = p99('on').median / p99('off (the default)').median
    const markdown = `## GC duration metric

POST /predict, one row, 1 connection, on the server above (\`nodejs_gc_duration_seconds\` off, the default) and on
one with \`METRICS_GC_DURATION=true\`, ${SECONDS} s per run, ${ALTERNATING}, ${REPS} repetitions. Latency in ms.

| nodejs_gc_duration_seconds | req/s | p50 | p99 | CPU µs/req |
|---|---:|---:|---:|---:|
${Object.entries(r).map(([name, runs]) => `| ${name} | ${formatSummary(pick(runs, (x) => x.rps))} | ${formatSummary(pick(runs, (x) => x.latencyMs.p50), 3)} | ` +
  `${formatSummary(p99(name), 3)} | ${formatSummary(pick(runs, (x) => x.cpuPerRequestUs))} |`).join('\n')}

p99 with the metric on / off: **${ratio.toFixed(2)}x**.
`
    return { markdown, p99Ratio: ratio }
  } finally {
    await stopServer(withGc)
  }
}

/**
 * Two fresh servers with the same history, metrics recording on and off, loaded at the same time: what else
 * the machine does then slows both alike. Run one after the other (as alternate does), their req/s spread
 * wider than the few percent being measured (-9.4 % to 12.8 % over eight runs). Each repetition gives one
 * paired figure: how many fewer requests a CPU second serves with metrics on (1 - CPU per request off / on).
 */
async function metricsOverhead () {
  log('metrics on and off, at the same time')
  const on = await startServer(API, MODEL)
  const off = await startServer(API, { ...MODEL, METRICS_ENABLED: 'false' })
  const both = () => Promise.all([load(on, '/predict', ROW, 10, SECONDS), load(off, '/predict', ROW, 10, SECONDS)])
  try {
    await both()
    const runs: { on: LoadResult, off: LoadResult }[] = []
    for (let rep = 0; rep < REPS; rep++) {
      const [withMetrics, without] = await both()
      assertAnswered('metrics on', withMetrics)
      assertAnswered('metrics off', without)
      runs.push({ on: withMetrics, off: without })
      log(`  repetition ${rep + 1}: CPU µs/req ${withMetrics.cpuPerRequestUs.toFixed(1)} on, ${without.cpuPerRequestUs.toFixed(1)} off`)
    }
    const overhead = summarize(runs.map((r) => 1 - r.off.cpuPerRequestUs / r.on.cpuPerRequestUs))
    const row = (name: string, results: LoadResult[]) =>
      `| ${name} | ${formatSummary(pick(results, (x) => x.rps))} | ${formatSummary(pick(results, (x) => x.cpuPerRequestUs))} |`
    const markdown = `## Metrics overhead

POST /predict, one row, 10 connections each, on two fresh servers with metrics recording on (the default) and
off (\`METRICS_ENABLED=false\`), loaded at the same time for ${SECONDS} s after one unrecorded run, ${REPS} repetitions.
Both servers then share the machine's slow and busy moments, which a comparison of runs one after the other
cannot resolve from a difference this small. The load generator drives both, so req/s is below a lone server's.

| server | req/s | CPU µs/req |
|---|---:|---:|
${row('metrics on', runs.map((r) => r.on))}
${row('metrics off', runs.map((r) => r.off))}

Overhead: **${formatPercent(overhead.median)}** (${formatPercent(overhead.min)} – ${formatPercent(overhead.max)} over the repetitions) fewer requests
per CPU second with metrics on, which is the req/s a server bound by its CPU loses. Target: at most 10 %.
`
    return { markdown, overhead: overhead.median }
  } finally {
    await stopServer(on)
    await stopServer(off)
  }
}

/** Process start to the first 200 from /ready. */
async function coldStart () {
  log('cold start')
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const server = await startServer(API, MODEL)
    for (;;) {
      const ok = await fetch(`${server.url}/ready`).then((r) => r.status === 200, () => false)
      if (ok) break
      await sleep(2)
    }
    times.push(performance.now() - server.startedAt)
    await stopServer(server)
  }
  return summarize(times)
}

async function rssUnderLoad () {
  log(`RSS after ${RSS_SECONDS} s of load`)
  const server = await startServer(API, MODEL)
  try {
    const rss = () => rssBytes(server.child.pid as number)
    const before = rss()
    let peak = before
    const sampler = setInterval(() => { peak = Math.max(peak, rss()) }, 500)
    const half = Math.floor(RSS_SECONDS / 2)
    try {
      await load(server, '/predict', ROW, 10, half)
      await load(server, '/predict', BATCH, 10, RSS_SECONDS - half)
    } finally {
      clearInterval(sampler)
    }
    const after = rss()
    return { before, peak: Math.max(peak, after), after }
  } finally {
    await stopServer(server)
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`

log('model benchmark')
const model = modelBenchmark()
const api = await startServer(API, MODEL)
const bare = await startServer(BARE)
const single = await httpSingleRow(api, bare)
await stopServer(bare)
const batches = await httpBatches(api)
const gc = await gcDurationMetric(api)
await stopServer(api)
const metrics = await metricsOverhead()
const cold = await coldStart()
const rss = await rssUnderLoad()

const markdown = `# Benchmark results

Produced by \`make bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineDescription()}; the load
generator runs on the same machine. Absolute figures move by ±20 % between runs on shared machines: compare
the ratios, which come from cases measured in the same run.

${model.markdown}
${single.markdown}
${batches.markdown}
${gc.markdown}
${metrics.markdown}
## Start-up and memory

| measure | measured | target |
|---|---:|---:|
| process start to the first 200 from /ready (ms, ${5} starts) | ${formatSummary(cold, 0)} | ≤ 300 |
| RSS at start | ${mb(rss.before)} | |
| RSS after ${RSS_SECONDS} s of load (single rows, then 1,000-row batches) | ${mb(rss.after)} | ≤ 100 MB |
| highest RSS during that load (sampled every 0.5 s) | ${mb(rss.peak)} | |

The servers run as \`npm start\` runs them, in this environment less \`NODE_EXTRA_CA_CERTS\`: node would parse that
CA bundle before running any JavaScript, and the server opens no TLS connections.
`
mkdirSync(fileURLToPath(new URL('results/', import.meta.url)), { recursive: true })
writeFileSync(new URL('results/latest.md', import.meta.url), markdown)
writeFileSync(new URL('results/latest.json', import.meta.url), `${JSON.stringify({
  date: new Date().toISOString(),
  machine: machineDescription(),
  model: model.ratios,
  http: { ratios: single.ratios, cpuPerRequestUs: single.cpuPerRequestUs },
  batches: Object.fromEntries(Object.entries(batches.rowsPerSecond).map(([k, v]) => [k, v.median])),
  gcDurationMetricP99Ratio: gc.p99Ratio,
  metricsOverhead: metrics.overhead,
  coldStartMs: cold.median,
  rssBytes: rss
}, null, 2)}\n`)
console.log(markdown)
