/**
 * What `make bench` measured (bench/results/latest.json), written where users read it: the figures of
 * docs/performance.md and the README's summary and capacity table. `npm run bench:report` rewrites them
 * from the committed results; a test fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { replaceMarked } from '../scripts/markers.js'
import { type ModelBenchmark, modelMarkdown } from './model.js'
import { formatPercent, formatSummary, type Summary } from './stats.js'

const path = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url))
export const RESULTS_FILE = path('bench/results/latest.json')

interface OneRowFigures { rps: Summary, p50Ms: Summary, p99Ms: Summary, cpuPerRequestUs: Summary }

export interface ServerResults {
  name: string
  coldStartMs: Summary
  rssStartBytes: number
  rssAfterLoadBytes: number
  /** By connections. */
  oneRow: Partial<Record<number, OneRowFigures>>
}

export interface BenchResults {
  date: string
  machine: string
  python: string
  reps: number
  seconds: number
  coldStarts: number
  durationSeconds: number
  model: ModelBenchmark
  /** ml-api first. */
  servers: ServerResults[]
  mlApiRssPeakBytes: number
  batches: Record<string, { rowsPerSecond: Summary, p99Ms: Summary }>
  metricsOverhead: Summary
}

const n = (x: number) => Math.round(x).toLocaleString('en-US')
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const plural = (c: number) => `${c} connection${c === 1 ? '' : 's'}`

function oneRow (server: ServerResults, connections: number): OneRowFigures {
  const figures = server.oneRow[connections]
  if (figures === undefined) throw new Error(`${server.name} has no one-row figures at ${plural(connections)}`)
  return figures
}

/** The Python server that spent less CPU per one-row request at 10 connections. */
function betterPython (r: BenchResults): ServerResults {
  return r.servers.slice(1).reduce((best, s) => (oneRow(s, 10).cpuPerRequestUs.median < oneRow(best, 10).cpuPerRequestUs.median ? s : best))
}

export interface Budget { measure: string, measured: string, budget: string, met: boolean }

export function budgets (r: BenchResults): Budget[] {
  const api = r.servers[0]
  const cpu = oneRow(api, 10).cpuPerRequestUs.median
  const python = betterPython(r)
  const cpuRatio = oneRow(python, 10).cpuPerRequestUs.median / cpu
  return [
    { measure: 'one-row /predict, server CPU per request, 10 connections', measured: `${cpu.toFixed(0)} µs`, budget: '≤ 60 µs', met: cpu <= 60 },
    { measure: `less CPU per one-row request than ${python.name}, 10 connections`, measured: `${cpuRatio.toFixed(0)}x`, budget: '≥ 30x', met: cpuRatio >= 30 },
    ...Object.entries(r.batches).map(([route, b]) => ({
      measure: `${route}, 1,000-row batches, rows/s`, measured: n(b.rowsPerSecond.median), budget: '≥ 500,000', met: b.rowsPerSecond.median >= 500_000
    })),
    { measure: 'RSS after the load', measured: mb(api.rssAfterLoadBytes), budget: '≤ 100 MB', met: api.rssAfterLoadBytes <= 100 * 2 ** 20 },
    { measure: 'metrics recording overhead, requests per CPU second', measured: formatPercent(r.metricsOverhead.median), budget: '≤ 10 %', met: r.metricsOverhead.median <= 0.1 },
    { measure: 'cold start: process start to the first 200 from /ready', measured: `${n(api.coldStartMs.median)} ms`, budget: '≤ 500 ms', met: api.coldStartMs.median <= 500 }
  ]
}

function budgetTable (r: BenchResults): string {
  return ['| measure | measured | budget | met |', '|---|---:|---:|---|',
    ...budgets(r).map((b) => `| ${b.measure} | ${b.measured} | ${b.budget} | ${b.met ? 'met' : '**missed**'} |`)].join('\n')
}

function comparisonTable (r: BenchResults): string {
  const api = r.servers[0]
  return ['| one-row POST /predict, 10 connections | ' + r.servers.map((s) => s.name).join(' | ') + ' |', `|---|${'---:|'.repeat(r.servers.length)}`,
    `| req/s | ${r.servers.map((s) => n(oneRow(s, 10).rps.median)).join(' | ')} |`,
    `| p99 latency | ${r.servers.map((s) => `${oneRow(s, 10).p99Ms.median.toFixed(1)} ms`).join(' | ')} |`,
    `| server CPU per request | ${r.servers.map((s) => `${n(oneRow(s, 10).cpuPerRequestUs.median)} µs`).join(' | ')} |`,
    `| ml-api's advantage in CPU per request | | ${r.servers.slice(1).map((s) => `${(oneRow(s, 10).cpuPerRequestUs.median / oneRow(api, 10).cpuPerRequestUs.median).toFixed(0)}x`).join(' | ')} |`,
    `| cold start | ${r.servers.map((s) => `${n(s.coldStartMs.median)} ms`).join(' | ')} |`,
    `| RSS after the load | ${r.servers.map((s) => mb(s.rssAfterLoadBytes)).join(' | ')} |`].join('\n')
}

export function readmeSummary (r: BenchResults): string {
  return `\`make bench\` of ${r.date.slice(0, 10)} on ${r.machine} (load generator on the same machine), against
scikit-learn served by Flask + gunicorn and by FastAPI + uvicorn (one worker each; ${r.python}):

${comparisonTable(r)}

${budgetTable(r)}`
}

/** The chart's defaults the capacity table is computed for. */
export const POD = { cpuLimit: 0.5, cpuRequest: 0.25, hpaTarget: 0.7, minReplicas: 2, maxReplicas: 10 }
export const LOADS = [1_000, 10_000, 100_000]

export function capacityTable (cpuPerRequestUs: number): string {
  const perCore = 1e6 / cpuPerRequestUs
  const atLimit = perCore * POD.cpuLimit * POD.hpaTarget
  const atHpaTarget = perCore * POD.cpuRequest * POD.hpaTarget
  const pods = (load: number) => Math.max(POD.minReplicas, Math.ceil(load / atHpaTarget))
  return `One-row POST /predict used **${cpuPerRequestUs.toFixed(0)} µs** of server CPU per request (10 connections, user + system
time). One core therefore serves about ${n(perCore)} req/s.

| pod CPU | req/s per pod |
|---|---:|
| 70 % of the 500m limit (350m) | ${n(atLimit)} |
| 70 % of the 250m request (175m): where the HPA holds the average pod | ${n(atHpaTarget)} |

| load | pods the HPA settles on (70 % of the request; at least 2) |
|---:|---:|
${LOADS.map((load) => `| ${n(load)} req/s | ${n(pods(load))} |`).join('\n')}

With the default \`autoscaling.maxReplicas\` of ${POD.maxReplicas}, the release serves up to about ${n(POD.maxReplicas * atHpaTarget)} req/s at the HPA's
target; raise it beyond. Batches cost far less per row. Figures from another machine differ: rerun \`make bench\` there.`
}

export function performanceFigures (r: BenchResults): string {
  const api = r.servers[0]
  const connectionRows = r.servers.flatMap((s) => [1, 10, 50].map((c) => {
    const f = oneRow(s, c)
    return `| ${s.name} | ${c} | ${formatSummary(f.rps)} | ${formatSummary(f.p50Ms, 2)} | ${formatSummary(f.p99Ms, 2)} | ${formatSummary(f.cpuPerRequestUs)} |`
  }))
  return `Measured by \`make bench\` on ${r.date.slice(0, 10)} in ${r.durationSeconds} s. Machine: ${r.machine}; ${r.python}.
${r.reps} repetitions of ${r.seconds} s per case; figures are the median (min – max) of the repetitions.

### Budgets

${budgetTable(r)}

### One-row POST /predict

${comparisonTable(r)}

| server | connections | req/s | p50 ms | p99 ms | server CPU µs per request |
|---|---:|---:|---:|---:|---:|
${connectionRows.join('\n')}

| ml-api / better Python server, req/s | ${[1, 10, 50].map(plural).join(' | ')} |
|---|---:|---:|---:|
| ${r.servers.slice(1).map((s) => s.name).join(' or ')}, whichever served more | ${[1, 10, 50].map((c) =>
    `${(oneRow(api, c).rps.median / Math.max(...r.servers.slice(1).map((s) => oneRow(s, c).rps.median))).toFixed(0)}x`).join(' | ')} |

### 1,000-row batches on ml-api, 10 connections

| route | rows/s | p99 ms |
|---|---:|---:|
${Object.entries(r.batches).map(([route, b]) => `| ${route} | ${formatSummary(b.rowsPerSecond)} | ${formatSummary(b.p99Ms, 1)} |`).join('\n')}

### Start-up and memory

| server | cold start, ms (${r.coldStarts} starts) | RSS at start | RSS after the load |
|---|---:|---:|---:|
${r.servers.map((s) => `| ${s.name} | ${formatSummary(s.coldStartMs)} | ${mb(s.rssStartBytes)} | ${mb(s.rssAfterLoadBytes)} |`).join('\n')}

ml-api's highest RSS during the load, sampled every 0.5 s: ${mb(r.mlApiRssPeakBytes)}.

### Metrics overhead

${formatPercent(r.metricsOverhead.median)} (${formatPercent(r.metricsOverhead.min)} – ${formatPercent(r.metricsOverhead.max)}) fewer requests per CPU second with metrics recording on.

### Capacity at the chart's defaults

${capacityTable(oneRow(api, 10).cpuPerRequestUs.median)}

${modelMarkdown(r.model).replace(/^## /m, '### ')}`
}

export function readResults (file = RESULTS_FILE): BenchResults {
  return JSON.parse(readFileSync(file, 'utf8')) as BenchResults
}

/** README.md and docs/performance.md as the results make them. */
export function reports (r: BenchResults): Record<string, string> {
  const read = (file: string) => readFileSync(path(file), 'utf8')
  const readme = replaceMarked(replaceMarked(read('README.md'), 'benchmark summary', readmeSummary(r), 'README.md'),
    'capacity table', capacityTable(oneRow(r.servers[0], 10).cpuPerRequestUs.median), 'README.md')
  return { 'README.md': readme, 'docs/performance.md': replaceMarked(read('docs/performance.md'), 'benchmark figures', performanceFigures(r), 'docs/performance.md') }
}

export function writeReports (r: BenchResults): void {
  for (const [file, text] of Object.entries(reports(r))) writeFileSync(path(file), text)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeReports(readResults())
  console.log(`wrote README.md and docs/performance.md from ${RESULTS_FILE}`)
}
