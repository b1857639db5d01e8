/**
 * make loadtest URL=http://127.0.0.1:8080 PROFILE=default
 *
 * A staged load (warm-up, ramp, plateau, cool-down) on POST /predict with autocannon, then a report per
 * stage: requests, errors by status, latency percentiles and throughput. When kubectl reaches a cluster,
 * the HPA and the ready pods are sampled every 5 s and printed beside the stages. Exits 1 when the
 * error rate passes MAX_ERROR_RATE. Everything is configurable from the environment (see PROFILES).
 *
 * Every stage runs in steps of at most 10 s, each with fresh connections: through a Kubernetes Service,
 * a kept-alive connection stays on the pod it first reached, so new pods only get traffic from new ones.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import autocannon from 'autocannon'
import { percentile } from '../bench/stats.js'

interface Stage { name: string, seconds: number, fromRate: number, toRate: number }
export interface Profile { warmup: number, ramp: number, plateau: number, cooldown: number, baseRate: number, rate: number, rows: number }

/** Durations in seconds; rates in requests per second (the plateau's is `rate`) of `rows` rows each. */
export const PROFILES: Record<string, Profile> = {
  smoke: { warmup: 5, ramp: 10, plateau: 10, cooldown: 5, baseRate: 50, rate: 300, rows: 1 },
  default: { warmup: 30, ramp: 60, plateau: 120, cooldown: 60, baseRate: 100, rate: 2000, rows: 1 },
  // Batches, so that the server's CPU and not the load generator's is what the rate costs: at the chart's
  // defaults the plateau needs more than 10 pods (podsNeeded). The cool-down outlasts the HPA's 300 s
  // scale-down stabilisation window, so that the run shows the way back to minReplicas.
  hpa: { warmup: 30, ramp: 60, plateau: 180, cooldown: 420, baseRate: 5, rate: 4000, rows: 1000 }
}

const MAX_STEP_SECONDS = 10
const BENCH_RESULTS = fileURLToPath(new URL('../bench/results/latest.json', import.meta.url))

/**
 * Fewest pods an HPA needs for the plateau: the CPU it costs (rows/s over what one single-threaded server
 * process predicts per second, as `make bench` measured for 1,000-row batches: at most one core's worth)
 * over the CPU each pod may use at the target.
 */
export function podsNeeded (profile: Profile, rowsPerSecond: number, cpuRequestCores = 0.25, targetUtilization = 0.7): number {
  return Math.ceil((profile.rate * profile.rows) / rowsPerSecond / (cpuRequestCores * targetUtilization))
}

/** Rows per second of one server process on /predict in 1,000-row batches, from the committed `make bench` results. */
export function benchBatchRowsPerSecond (file = BENCH_RESULTS): number | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { batches?: Record<string, { rowsPerSecond: { median: number } }> }).batches?.['/predict']?.rowsPerSecond.median
  } catch {
    return undefined
  }
}

export function requestBody (rows: number): string {
  const samples = [[5.1, 3.5, 1.4, 0.2], [6.1, 2.8, 4.7, 1.2], [6.7, 3.0, 5.2, 2.3]]
  if (rows === 1) return JSON.stringify({ features: samples[1] })
  return JSON.stringify({ instances: Array.from({ length: rows }, (_, i) => samples[i % samples.length]) })
}

export function stagesOf (profile: Profile): Stage[] {
  return [
    { name: 'warm-up', seconds: profile.warmup, fromRate: profile.baseRate, toRate: profile.baseRate },
    { name: 'ramp', seconds: profile.ramp, fromRate: profile.baseRate, toRate: profile.rate },
    { name: 'plateau', seconds: profile.plateau, fromRate: profile.rate, toRate: profile.rate },
    { name: 'cool-down', seconds: profile.cooldown, fromRate: profile.baseRate, toRate: profile.baseRate }
  ].filter((stage) => stage.seconds > 0)
}

interface StageResult { stage: Stage, requests: number, statuses: Map<string, number>, times: number[], elapsed: number }

const env = process.env
const number = (name: string, fallback: number): number => {
  const value = env[name]
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`)
  return n
}

const exec = promisify(execFile)

/** HPA and ready pods, when kubectl can reach a cluster; undefined otherwise. */
async function sampleCluster (hpa: string, namespace: string): Promise<{ current: number, desired: number, ready: number } | undefined> {
  try {
    const { stdout } = await exec('kubectl', ['get', 'hpa', hpa, '--namespace', namespace, '-o', 'json'], { timeout: 4000 })
    const status = (JSON.parse(stdout) as { status: { currentReplicas?: number, desiredReplicas?: number } }).status
    const pods = await exec('kubectl', ['get', 'pods', '--namespace', namespace, '--selector', `app.kubernetes.io/instance=${env.RELEASE ?? 'ml-api'}`, '-o', 'json'], { timeout: 4000 })
    const items = (JSON.parse(pods.stdout) as { items: { status: { conditions?: { type: string, status: string }[] } }[] }).items
    const ready = items.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length
    return { current: status.currentReplicas ?? 0, desired: status.desiredReplicas ?? 0, ready }
  } catch {
    return undefined
  }
}

/** Runs one stage in steps of a few seconds at rising rates (a ramp) or one rate. */
async function runStage (url: string, body: string, stage: Stage, connections: number, onTick: (line: string) => void): Promise<StageResult> {
  const steps = Math.max(1, Math.ceil(stage.seconds / MAX_STEP_SECONDS))
  const result: StageResult = { stage, requests: 0, statuses: new Map(), times: [], elapsed: 0 }
  for (let step = 0; step < steps; step++) {
    const rate = Math.round(stage.fromRate + ((stage.toRate - stage.fromRate) * (step + 1)) / steps)
    const seconds = stage.seconds / steps
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      const instance = autocannon({
        url, method: 'POST', headers: { 'content-type': 'application/json' }, body,
        connections, overallRate: rate, duration: seconds, timeout: 10
      }, (err) => (err ? reject(err) : resolve()))
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        result.requests++
        result.times.push(responseTime)
        const key = String(statusCode)
        result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1)
      })
      instance.on('reqError', (err: Error & { code?: string }) => {
        result.requests++
        const key = err.code ?? 'error'
        result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1)
      })
      instance.on('tick', () => {
        const sorted = [...result.times].sort((a, b) => a - b)
        const p99 = percentile(sorted, 0.99)
        onTick(`${stage.name.padEnd(9)} step ${step + 1}/${steps} target ${rate} req/s · ${result.requests} requests · ` +
          `${result.requests - (result.statuses.get('200') ?? 0)} errors · p99 ${p99.toFixed(1)} ms`)
      })
    })
    result.elapsed += (performance.now() - started) / 1000
  }
  return result
}

async function main (): Promise<number> {
  const base = (env.URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
  const profileName = env.PROFILE ?? 'default'
  const preset = PROFILES[profileName]
  if (preset === undefined) throw new Error(`unknown PROFILE "${profileName}": one of ${Object.keys(PROFILES).join(', ')}`)
  const profile: Profile = {
    warmup: number('WARMUP', preset.warmup), ramp: number('RAMP', preset.ramp), plateau: number('PLATEAU', preset.plateau),
    cooldown: number('COOLDOWN', preset.cooldown), baseRate: number('BASE_RATE', preset.baseRate), rate: number('RATE', preset.rate),
    rows: Math.max(1, Math.round(number('ROWS', preset.rows)))
  }
  const connections = number('CONNECTIONS', 50)
  const maxErrorRate = number('MAX_ERROR_RATE', 0.01)
  const body = requestBody(profile.rows)
  const stages = stagesOf(profile)
  console.log(`load test of ${base}/predict, profile ${profileName}: ${stages.map((s) => `${s.name} ${s.seconds} s at ${s.fromRate === s.toRate ? s.toRate : `${s.fromRate}→${s.toRate}`} req/s`).join(', ')}; ` +
    `${profile.rows} ${profile.rows === 1 ? 'row' : 'rows'} per request; ${connections} connections`)
  const rowsPerSecond = benchBatchRowsPerSecond()
  if (rowsPerSecond !== undefined && profile.rows > 1) {
    console.log(`the plateau offers ${profile.rate * profile.rows} rows/s; one server process predicts ${Math.round(rowsPerSecond)} rows/s (make bench), ` +
      `so an HPA at the chart's defaults (250m CPU requested, 70 % target) needs at least ${podsNeeded(profile, rowsPerSecond)} pods`)
  }

  const started = Date.now()
  const timeline: { t: number, stage: string, sample: NonNullable<Awaited<ReturnType<typeof sampleCluster>>> }[] = []
  let currentStage = stages[0]?.name ?? ''
  const hpa = env.HPA ?? 'ml-api'
  const namespace = env.NAMESPACE ?? 'default'
  const clusterReachable = (await sampleCluster(hpa, namespace)) !== undefined
  let sampling = clusterReachable
  const sampler = (async () => {
    while (sampling) {
      const sample = await sampleCluster(hpa, namespace)
      if (sample) timeline.push({ t: (Date.now() - started) / 1000, stage: currentStage, sample })
      await new Promise((resolve) => setTimeout(resolve, 5000))
    }
  })()
  if (!clusterReachable) console.log('kubectl reaches no cluster with that HPA: the replica timeline is skipped')

  const results: StageResult[] = []
  for (const stage of stages) {
    currentStage = stage.name
    results.push(await runStage(`${base}/predict`, body, stage, connections, (line) => {
      if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(100)}`)
    }))
    if (process.stdout.isTTY) process.stdout.write('\n')
  }
  sampling = false
  await sampler

  console.log('\n| stage | seconds | requests | req/s | errors by status | p50 ms | p95 ms | p99 ms |')
  console.log('|---|---:|---:|---:|---|---:|---:|---:|')
  let total = 0
  let failed = 0
  for (const r of results) {
    const sorted = r.times.sort((a, b) => a - b)
    const errors = [...r.statuses].filter(([status]) => status !== '200')
    const errorCount = errors.reduce((sum, [, n]) => sum + n, 0)
    total += r.requests
    failed += errorCount
    console.log(`| ${r.stage.name} | ${r.elapsed.toFixed(0)} | ${r.requests} | ${(r.requests / r.elapsed).toFixed(0)} | ` +
      `${errors.length === 0 ? 'none' : errors.map(([s, n]) => `${s}: ${n}`).join(', ')} | ${percentile(sorted, 0.5).toFixed(2)} | ${percentile(sorted, 0.95).toFixed(2)} | ${percentile(sorted, 0.99).toFixed(2)} |`)
  }
  if (timeline.length > 0) {
    console.log('\n| time (s) | stage | HPA current | HPA desired | ready pods |')
    console.log('|---:|---|---:|---:|---:|')
    for (const { t, stage, sample } of timeline) console.log(`| ${t.toFixed(0)} | ${stage} | ${sample.current} | ${sample.desired} | ${sample.ready} |`)
  }
  const errorRate = total === 0 ? 1 : failed / total
  console.log(`\nerror rate ${(errorRate * 100).toFixed(2)} % (limit ${(maxErrorRate * 100).toFixed(2)} %): ${errorRate > maxErrorRate ? 'FAILED' : 'passed'}`)
  return errorRate > maxErrorRate ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then((code) => { process.exitCode = code }, (err: unknown) => {
    console.error(`loadtest: ${(err as Error).message}`)
    process.exitCode = 2
  })
}
