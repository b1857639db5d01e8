/**
 * make loadtest URL=http://127.0.0.1:8080 PROFILE=default
 *
 * A staged load (warm-up, ramp, plateau, cool-down) on POST /predict with autocannon, then a report per
 * stage: requests, errors by status, latency percentiles and throughput. When kubectl reaches a cluster,
 * the HPA and the ready pods are sampled every 5 s and printed beside the stages. Exits 1 when the
 * error rate passes MAX_ERROR_RATE. Everything is configurable from the environment (see PROFILES).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import autocannon from 'autocannon'

interface Stage { name: string, seconds: number, fromRate: number, toRate: number }
interface Profile { warmup: number, ramp: number, plateau: number, cooldown: number, baseRate: number, rate: number }

/** Durations in seconds; rates in requests per second (the plateau's is `rate`). */
const PROFILES: Record<string, Profile> = {
  smoke: { warmup: 5, ramp: 10, plateau: 10, cooldown: 5, baseRate: 50, rate: 300 },
  default: { warmup: 30, ramp: 60, plateau: 120, cooldown: 60, baseRate: 100, rate: 2000 },
  // Long enough to watch the HPA scale up, hold, and scale down after its 300 s stabilization window.
  hpa: { warmup: 60, ramp: 180, plateau: 300, cooldown: 420, baseRate: 100, rate: 8000 }
}

function stagesOf (profile: Profile): Stage[] {
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
  const steps = stage.fromRate === stage.toRate ? 1 : Math.max(1, Math.min(10, Math.round(stage.seconds / 5)))
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
        const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0
        onTick(`${stage.name.padEnd(9)} step ${step + 1}/${steps} target ${rate} req/s · ${result.requests} requests · ` +
          `${result.requests - (result.statuses.get('200') ?? 0)} errors · p99 ${p99.toFixed(1)} ms`)
      })
    })
    result.elapsed += (performance.now() - started) / 1000
  }
  return result
}

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))])

async function main (): Promise<number> {
  const base = (env.URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
  const profileName = env.PROFILE ?? 'default'
  const preset = PROFILES[profileName]
  if (preset === undefined) throw new Error(`unknown PROFILE "${profileName}": one of ${Object.keys(PROFILES).join(', ')}`)
  const profile: Profile = {
    warmup: number('WARMUP', preset.warmup), ramp: number('RAMP', preset.ramp), plateau: number('PLATEAU', preset.plateau),
    cooldown: number('COOLDOWN', preset.cooldown), baseRate: number('BASE_RATE', preset.baseRate), rate: number('RATE', preset.rate)
  }
  const connections = number('CONNECTIONS', 50)
  const maxErrorRate = number('MAX_ERROR_RATE', 0.01)
  const body = JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] })
  const stages = stagesOf(profile)
  console.log(`load test of ${base}/predict, profile ${profileName}: ${stages.map((s) => `${s.name} ${s.seconds} s at ${s.fromRate === s.toRate ? s.toRate : `${s.fromRate}→${s.toRate}`} req/s`).join(', ')}; ${connections} connections`)

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
      `${errors.length === 0 ? 'none' : errors.map(([s, n]) => `${s}: ${n}`).join(', ')} | ${pct(sorted, 0.5).toFixed(2)} | ${pct(sorted, 0.95).toFixed(2)} | ${pct(sorted, 0.99).toFixed(2)} |`)
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

main().then((code) => { process.exitCode = code }, (err: unknown) => {
  console.error(`loadtest: ${(err as Error).message}`)
  process.exitCode = 2
})
