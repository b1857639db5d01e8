/**
 * make bench: ml-api against the Python servers a user would otherwise deploy (scikit-learn under Flask +
 * gunicorn and under FastAPI + uvicorn), in one run, on this machine; writes bench/results/latest.json, then
 * docs/performance.md and the README's summary and capacity table from it (bench/report.ts). Every figure is
 * the median (min – max) of the repetitions; compared servers alternate within each repetition.
 *
 *   npm run bench [-- --reps 3 --seconds 3]
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { log } from './console.js'
import { load, type LoadResult, rssBytes, type Server, type ServerSpec, startServer, stopServer } from './http.js'
import { modelBenchmark } from './model.js'
import { pythonVersions, trainPythonModel } from './python.js'
import { type BenchResults, RESULTS_FILE, type ServerResults, writeReports } from './report.js'
import { alternatingOrder, mlApi, pythonServers, ROW } from './servers.js'
import { machineDescription, summarize } from './stats.js'

const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' }, seconds: { type: 'string', default: '3' } } })
const REPS = Number(values.reps)
const SECONDS = Number(values.seconds)
const CONNECTIONS = [1, 10, 50] as const
const COLD_STARTS = 5

const BATCH_ROWS = Array.from({ length: 1000 }, (_, i) => [4.5 + (i % 30) / 10, 2.5 + (i % 10) / 10, 1 + (i % 50) / 10, 0.1 + (i % 24) / 10])
const BATCHES = {
  '/predict': JSON.stringify({ instances: BATCH_ROWS }),
  '/v2/models/iris/infer': JSON.stringify({ inputs: [{ name: 'input-0', shape: [1000, 4], datatype: 'FP64', data: BATCH_ROWS.flat() }] })
}

/**
 * One unrecorded run of each case (V8 optimises the request path over the first thousands of requests),
 * then REPS recorded ones, alternating, the order reversed every other repetition.
 */
async function alternate (cases: [string, () => Promise<LoadResult>][]): Promise<Map<string, LoadResult[]>> {
  const results = new Map(cases.map(([name]) => [name, [] as LoadResult[]]))
  for (const [, run] of cases) await run()
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, run] of alternatingOrder(cases, rep)) {
      const result = await run()
      results.get(name)?.push(result)
      log(`  ${name}: ${Math.round(result.rps)} req/s, p99 ${result.latencyMs.p99.toFixed(2)} ms, ${result.cpuPerRequestUs.toFixed(0)} µs CPU/req`)
    }
  }
  return results
}

async function coldStarts (spec: ServerSpec): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < COLD_STARTS; i++) {
    const server = await startServer(spec)
    times.push(server.coldStartMs)
    await stopServer(server)
  }
  return times
}

/** Samples the server's RSS every 0.5 s until stopped; returns the highest. */
function rssPeak (server: Server): () => number {
  let peak = rssBytes(server)
  const sampler = setInterval(() => { peak = Math.max(peak, rssBytes(server)) }, 500)
  return () => { clearInterval(sampler); return Math.max(peak, rssBytes(server)) }
}

/** One-row POST /predict on every server at 1, 10 and 50 connections, then 1,000-row batches on ml-api. */
async function httpLoads (servers: Server[]) {
  const oneRow = new Map<string, ServerResults['oneRow']>(servers.map((s) => [s.spec.name, {}]))
  for (const connections of CONNECTIONS) {
    log(`one row, ${connections} connection(s)`)
    const runs = await alternate(servers.map((s) => [s.spec.name, () => load(s, '/predict', ROW, connections, SECONDS)]))
    for (const [name, results] of runs) {
      (oneRow.get(name) as ServerResults['oneRow'])[connections] = {
        rps: summarize(results.map((r) => r.rps)),
        p50Ms: summarize(results.map((r) => r.latencyMs.p50)),
        p99Ms: summarize(results.map((r) => r.latencyMs.p99)),
        cpuPerRequestUs: summarize(results.map((r) => r.cpuPerRequestUs))
      }
    }
  }
  log('1,000-row batches on ml-api, 10 connections')
  const [api] = servers
  const runs = await alternate(Object.entries(BATCHES).map(([path, body]) => [path, () => load(api, path, body, 10, SECONDS)]))
  const batches = Object.fromEntries([...runs].map(([path, results]) => [path, {
    rowsPerSecond: summarize(results.map((r) => r.rps * 1000)),
    p99Ms: summarize(results.map((r) => r.latencyMs.p99))
  }]))
  return { oneRow, batches }
}

/**
 * Two fresh ml-api servers, metrics recording on and off, loaded at the same time, so that what else the
 * machine does slows both alike; each repetition gives 1 - (CPU per request off / on).
 */
async function metricsOverhead () {
  log('metrics on and off, at the same time')
  const on = await startServer(mlApi())
  const off = await startServer(mlApi({ METRICS_ENABLED: 'false' }))
  try {
    const both = () => Promise.all([load(on, '/predict', ROW, 10, SECONDS), load(off, '/predict', ROW, 10, SECONDS)])
    await both()
    const overheads: number[] = []
    for (let rep = 0; rep < REPS; rep++) {
      const [withMetrics, without] = await both()
      overheads.push(1 - without.cpuPerRequestUs / withMetrics.cpuPerRequestUs)
      log(`  CPU µs/req ${withMetrics.cpuPerRequestUs.toFixed(1)} with metrics, ${without.cpuPerRequestUs.toFixed(1)} without`)
    }
    return summarize(overheads)
  } finally {
    await stopServer(on)
    await stopServer(off)
  }
}

const started = performance.now()
log('model in process')
const model = modelBenchmark()
log('training the scikit-learn model')
const specs = [mlApi(), ...pythonServers(trainPythonModel())]
log('cold starts')
const coldStartMs = new Map<string, number[]>()
for (const spec of specs) coldStartMs.set(spec.name, await coldStarts(spec))

const servers: Server[] = []
for (const spec of specs) servers.push(await startServer(spec))
const stopAll = async () => { for (const server of servers) await stopServer(server) }
const rssAtStart = servers.map(rssBytes)
const apiPeak = rssPeak(servers[0])
const loads = await httpLoads(servers).catch(async (err: unknown) => { await stopAll(); throw err })
const rssAfter = servers.map(rssBytes)
const apiRssPeak = apiPeak()
await stopAll()
const overhead = await metricsOverhead()

const results: BenchResults = {
  date: new Date().toISOString(),
  machine: machineDescription(),
  python: pythonVersions(),
  reps: REPS,
  seconds: SECONDS,
  coldStarts: COLD_STARTS,
  durationSeconds: 0,
  model,
  servers: specs.map((spec, i) => ({
    name: spec.name,
    coldStartMs: summarize(coldStartMs.get(spec.name) ?? []),
    rssStartBytes: rssAtStart[i],
    rssAfterLoadBytes: rssAfter[i],
    oneRow: loads.oneRow.get(spec.name) ?? {}
  })),
  mlApiRssPeakBytes: apiRssPeak,
  batches: loads.batches,
  metricsOverhead: overhead
}
results.durationSeconds = Math.round((performance.now() - started) / 1000)
writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)
writeReports(results)
log(`done in ${results.durationSeconds} s: wrote bench/results/latest.json, docs/performance.md and README.md`)
