/*
 * make test-cluster: the chart on a real Kubernetes (the local cluster of scripts/cluster), each step of a
 * user's story asserted, and the figures written to docs/kubernetes-results.md. Runs inside the cluster's
 * network (scripts/cluster/exec), in the order of the steps: each starts from where the last one left off.
 */
import { exec, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { PROFILES } from '../../scripts/loadtest.js'
import { sha256Hex } from '../../src/model/load-model.js'
import { alertRules, committedDashboards, panelQueries, withBoolComparisons } from '../helpers/monitoring.js'
import { trainPenguins } from '../helpers/penguins.js'
import {
  type Answer, failed, helm, isReady, kubectl, kubectlJson, make, NAMESPACE, nodePort, pods, predictCount, predictOnce, readyPods,
  RELEASE, serverPid, serviceEndpoints, serviceIp, steadyLoad, waitFor
} from '../helpers/kube.js'

const CHART = './chart'
const NODE_IP = '10.88.0.2'
const LOAD_RATE = 40
const figures: string[] = []
const record = (line: string) => { figures.push(line); t.comment(line) }
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const statuses = (answers: Answer[]) => {
  const counts = new Map<string, number>()
  for (const a of answers) counts.set(String(a.status), (counts.get(String(a.status)) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${s}: ${n}`).join(', ')
}

async function upgrade (...set: string[]): Promise<void> {
  await helm('upgrade', RELEASE, CHART, '--reuse-values', ...set.flatMap((s) => ['--set', s]), '--wait', '--timeout', '5m')
}

async function waitRolledOut (): Promise<void> {
  await kubectl('rollout', 'status', `deployment/${RELEASE}`, '--timeout', '300s')
}

t.before(async () => {
  await kubectl('create', 'namespace', NAMESPACE).catch(() => '')
})

t.teardown(() => {
  if (!t.passing()) return
  writeFileSync('docs/kubernetes-results.md', [
    '# ml-api on Kubernetes: measured',
    '',
    '<!-- Written by make test-cluster (test/cluster/kubernetes.cluster.ts); do not edit by hand. -->',
    '',
    `The chart on the local single-node cluster of \`make cluster\` (Kubernetes ${process.env.KUBERNETES_VERSION ?? '?'}, ${availableParallelism()} cores), ` +
    `with its defaults unless a line says otherwise; steady load is ${LOAD_RATE} one-row requests per second through the Service, ` +
    'each on a new connection.',
    '',
    ...figures.map((line) => `- ${line}`),
    ''
  ].join('\n'))
})

t.test('1. helm install with the defaults: 3 pods Ready, helm test passes, NOTES are true', async (t) => {
  const started = Date.now()
  const output = await helm('install', RELEASE, CHART, '--wait', '--timeout', '5m')
  const ready = await waitFor('3 pods were Ready', 120, async () => ((await readyPods()).length === 3 ? Date.now() : undefined), 250)
  record(`install: 3 pods Ready ${seconds(ready - started)} after \`helm install\` started`)
  t.equal((await pods()).length, 3, 'replicaCount 3 at install, under the HPA')
  t.equal((await kubectlJson<{ spec: { minReplicas: number, maxReplicas: number } }>('get', 'hpa', RELEASE)).spec.maxReplicas, 10)

  t.match(output, /NOTES:/)
  t.match(output, new RegExp(`deployed as ${RELEASE} in namespace ${NAMESPACE}`))
  t.match(output, /Autoscaling: 2 to 10 replicas/)
  const forward = /^\s*(kubectl port-forward .*)$/m.exec(output)?.[1]
  const curl = /^\s*(curl -s http:\/\/127\.0\.0\.1:8080\/predict .*)$/m.exec(output)?.[1]
  t.ok(forward && curl, 'NOTES say how to reach the API')
  const forwarding = spawn('bash', ['-c', `exec ${forward ?? 'false'}`], { stdio: 'ignore' })
  try {
    const answer = await waitFor('the port-forward of the NOTES answered', 30, async () => {
      const { stdout } = await promisify(exec)(curl ?? 'false')
      return stdout.includes('"class"') ? stdout : undefined
    }, 500)
    t.match(answer, /"class":"setosa"/, 'the curl of the NOTES predicts through the port-forward of the NOTES')
  } finally {
    forwarding.kill()
  }
  t.match(await helm('test', RELEASE), /Phase:\s+Succeeded/, 'helm test: the test Pod called /health and /predict through the Service')
})

t.test('2. load balancing: the Service spreads requests over every pod; ClientIP affinity keeps a client on one', async (t) => {
  const spread = async (url: string, requests: number) => {
    const ready = await readyPods()
    const before = await Promise.all(ready.map(predictCount))
    const answers = await Promise.all(Array.from({ length: requests }, () => predictOnce(url)))
    t.same(failed(answers), [], `${url}: every request answered 200`)
    const after = await Promise.all(ready.map(predictCount))
    return ready.map((pod, i) => ({ pod: pod.metadata.name, count: after[i] - before[i] }))
  }
  const clusterIp = `http://${await serviceIp()}`
  const viaClusterIp = await spread(clusterIp, 300)
  t.ok(viaClusterIp.every((p) => p.count > 0), `ClusterIP: every pod answered (${viaClusterIp.map((p) => p.count).join(', ')})`)
  record(`load balancing, 300 requests through the ClusterIP: ${viaClusterIp.map((p) => p.count).join(' / ')} per pod`)

  await upgrade('service.type=NodePort')
  const nodeUrl = `http://${NODE_IP}:${await nodePort()}`
  const viaNodePort = await spread(nodeUrl, 300)
  t.ok(viaNodePort.every((p) => p.count > 0), `NodePort: every pod answered (${viaNodePort.map((p) => p.count).join(', ')})`)
  record(`load balancing, 300 requests through the NodePort: ${viaNodePort.map((p) => p.count).join(' / ')} per pod`)

  await upgrade('service.sessionAffinity=ClientIP')
  const sticky = await spread(clusterIp, 100)
  t.equal(sticky.filter((p) => p.count > 0).length, 1, `ClientIP affinity: one pod took every request (${sticky.map((p) => p.count).join(', ')})`)
  record(`service.sessionAffinity=ClientIP, 100 requests from one client: ${sticky.map((p) => p.count).join(' / ')} per pod`)
  await upgrade('service.sessionAffinity=None')
})

/**
 * Signals one pod's server under steady load and follows it: when its endpoint leaves the Service, when
 * it restarts and is Ready again. Every failed request must have been sent before the endpoint left
 * (plus the time kube-proxy takes to apply it) or have been in flight on that pod.
 */
async function disturb (t: Test, signal: 'SIGKILL' | 'SIGSTOP'): Promise<void> {
  const url = `http://${await serviceIp()}`
  const victim = (await readyPods())[0]
  const restartsBefore = victim.status.containerStatuses?.[0].restartCount ?? 0
  const load = steadyLoad(url, LOAD_RATE)
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const signalled = Date.now()
  process.kill(serverPid(victim), signal)
  const gone = await waitFor('the endpoint left the Service', 120, async () => (!(await serviceEndpoints()).includes(victim.status.podIP ?? '') ? Date.now() : undefined), 200)
  const back = await waitFor('the pod was restarted and Ready', 240, async () => {
    const pod = (await pods()).find((p) => p.metadata.name === victim.metadata.name)
    return pod && isReady(pod) && (pod.status.containerStatuses?.[0].restartCount ?? 0) > restartsBefore ? pod : undefined
  }, 500)
  const recovered = Date.now()
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const answers = await load.stop()
  const failures = failed(answers)
  t.equal(back.status.containerStatuses?.[0].restartCount, restartsBefore + 1, 'restartCount + 1')
  const proxySlack = 2000
  // What the probes allow: a crash is seen as the container exits; a hang after failureThreshold readiness
  // checks of periodSeconds, each waiting timeoutSeconds (chart defaults: 2 x 5 s, 2 s), plus a period of phase.
  const allowedMs = signal === 'SIGKILL' ? 5000 : (2 * 5 + 2 + 5) * 1000
  t.ok(gone - signalled <= allowedMs, `the endpoint left within what the probes allow (${seconds(gone - signalled)} <= ${seconds(allowedMs)})`)
  const late = failures.filter((a) => a.started > gone + proxySlack)
  t.same(late, [], `no request sent after the endpoint left (+${proxySlack} ms for kube-proxy) failed`)
  t.ok(failures.length <= answers.filter((a) => a.started >= signalled - 5000 && a.started <= gone + proxySlack).length / 2,
    'at most the share of one pod among 3 (with margin) of the requests sent meanwhile failed')
  record(`${signal === 'SIGKILL' ? 'crash (SIGKILL of the server)' : 'hang (SIGSTOP of the server)'}: endpoint removed after ${seconds(gone - signalled)}, ` +
    `pod Ready again (restartCount +1) after ${seconds(recovered - signalled)}; ${failures.length} of ${answers.length} requests failed ` +
    `(the probes allow the endpoint up to ${seconds(allowedMs)}) ` +
    `(${failures.length === 0 ? 'none' : statuses(failures)}), all sent before the endpoint left`)
}

t.test('3a. a crash under steady load: the pod restarts and is Ready again', async (t) => { await disturb(t, 'SIGKILL') })
t.test('3b. a hang under steady load: readiness takes the pod out, liveness restarts it', async (t) => { await disturb(t, 'SIGSTOP') })

t.test('4. rolling updates under steady load lose no request', async (t) => {
  const url = `http://${await serviceIp()}`
  for (const [what, action] of [
    ['helm upgrade --reuse-values with a changed pod annotation', async () => { await upgrade(`podAnnotations.rollout=r${Date.now()}`) }],
    ['make restart', async () => { const r = await make('restart', {}, 300_000); t.equal(r.code, 0, r.output) }]
  ] as const) {
    const before = (await pods()).map((p) => p.metadata.name)
    const load = steadyLoad(url, LOAD_RATE)
    const started = Date.now()
    await action()
    await waitRolledOut()
    const took = Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const answers = await load.stop()
    const after = (await readyPods()).map((p) => p.metadata.name)
    t.notOk(after.some((name) => before.includes(name)), `${what}: every pod replaced`)
    t.same(failed(answers), [], `${what}: 0 of ${answers.length} requests failed`)
    record(`rolling update (${what}): ${answers.length} requests during ${seconds(took)}, ${failed(answers).length} failed`)
  }
})

/** Every Ready pod's /info: the model name and the sha256 of the artifact it serves. */
async function servedModels (): Promise<{ name: string, sha256: string }[]> {
  return Promise.all((await readyPods()).map(async (pod) => (await (await fetch(`http://${pod.status.podIP}:8080/info`)).json()) as { name: string, sha256: string }))
}

/** Waits until every Ready pod serves the artifact of this sha256; resolves to that moment. */
function allServing (sha256: string, what: string): Promise<number> {
  return waitFor(`every Ready pod serves ${what}`, 120, async () => {
    const served = await servedModels()
    return served.length > 0 && served.every((m) => m.sha256 === sha256) ? Date.now() : undefined
  }, 250)
}

t.test('4b. a model of your own, delivered without a new image: --set-file rolls it out under load; a corrupted one never serves; helm rollback; model.image', async (t) => {
  const url = `http://${await serviceIp()}`
  const penguins = trainPenguins()
  const penguinsSha = sha256Hex(readFileSync(penguins))

  let load = steadyLoad(url, LOAD_RATE)
  let started = Date.now()
  await helm('upgrade', RELEASE, CHART, '--reuse-values', '--set-file', `model.artifact=${penguins}`, '--wait', '--timeout', '5m')
  await waitRolledOut()
  const allNew = await allServing(penguinsSha, 'the new model')
  await new Promise((resolve) => setTimeout(resolve, 2000))
  let answers = await load.stop()
  t.same(failed(answers), [], `0 of ${answers.length} requests failed during the rollout (${statuses(answers)})`)
  t.same((await servedModels()).map((m) => m.name), Array((await readyPods()).length).fill('penguins'), 'every pod\'s /info: penguins')
  const answer = await (await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ features: { beak_length_mm: 47.5, beak_depth_mm: 15, flipper_length_mm: 218, body_mass_g: 4950 } }) })).json() as { class: string }
  t.equal(answer.class, 'Gentoo', '/predict answers with the new classes')
  record(`helm upgrade --reuse-values --set-file model.artifact=<penguins model>: every pod on the new sha256 ${seconds(allNew - started)} after the upgrade started; ${failed(answers).length} of ${answers.length} requests failed`)

  const corrupted = join(dirname(penguins), 'corrupted.json')
  writeFileSync(corrupted, readFileSync(penguins, 'utf8').slice(0, 2000))
  const revision = Number((await helm('status', RELEASE, '-o', 'json')).match(/"version":(\d+)/)?.[1])
  load = steadyLoad(url, LOAD_RATE)
  started = Date.now()
  const upgrade = await helm('upgrade', RELEASE, CHART, '--reuse-values', '--set-file', `model.artifact=${corrupted}`, '--wait', '--timeout', '60s').then(() => 'deployed', (err: Error) => err.message)
  t.match(upgrade, /context deadline exceeded|timed out|not ready/i, 'helm upgrade --wait does not succeed: the new pods never become Ready')
  const stuck = (await pods()).filter((p) => !isReady(p))
  t.ok(stuck.length > 0, `${stuck.length} new pod(s) not Ready`)
  const logs = (...flags: string[]) => kubectl('logs', stuck[0].metadata.name, '--tail', '20', ...flags).catch((err: Error) => err.message)
  const log = await waitFor('the new pod logged why it stopped', 60, async () => {
    const text = `${await logs()}\n${await logs('--previous')}`
    return text.includes('cannot load the model') ? text : undefined
  })
  t.match(log, /cannot load the model/, 'the new pod says why')
  t.same((await servedModels()).map((m) => m.sha256), Array((await readyPods()).length).fill(penguinsSha), 'the old pods keep serving the good model')
  await helm('rollback', RELEASE, String(revision), '--wait', '--timeout', '5m')
  await waitRolledOut()
  const restored = Date.now()
  answers = await load.stop()
  t.same(failed(answers), [], `0 of ${answers.length} requests failed from the corrupted upgrade to the rollback (${statuses(answers)})`)
  t.ok((await pods()).every(isReady), 'after helm rollback every pod is Ready')
  record(`a corrupted artifact (truncated JSON): the new pod never became Ready (its log: "cannot load the model"), the old ones served on; \`helm rollback\` ${seconds(restored - started)} after the bad upgrade started; ${failed(answers).length} of ${answers.length} requests failed`)

  // model.image, copied out by the init container. The model image here is ml-api's own image, which holds the
  // Iris artifact (and cp): the pods leave the penguins for the artifact that the init container copied.
  const image = (await kubectl('get', 'deployment', RELEASE, '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).trim()
  const irisSha = sha256Hex(readFileSync('models/iris-rf.json'))
  load = steadyLoad(url, LOAD_RATE)
  started = Date.now()
  await helm('upgrade', RELEASE, CHART, '--reuse-values', '--set', 'model.artifact=', '--set', `model.image.reference=${image}`,
    '--set', 'model.path=/app/models/iris-rf.json', '--set', `model.sha256=${irisSha}`, '--wait', '--timeout', '5m')
  await waitRolledOut()
  const fromImage = await allServing(irisSha, 'the model image\'s artifact')
  answers = await load.stop()
  t.same(failed(answers), [], `model.image: 0 of ${answers.length} requests failed (${statuses(answers)})`)
  const initContainers = await kubectl('get', 'pods', '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'jsonpath={.items[*].spec.initContainers[*].name}')
  t.match(initContainers, /model/, 'the pods copied the artifact with the model init container')
  record(`model.image (the init container copies the artifact out of an image; here ml-api's own image and its Iris artifact): every pod on its sha256 ${seconds(fromImage - started)} after the upgrade started; ${failed(answers).length} of ${answers.length} requests failed`)

  await helm('upgrade', RELEASE, CHART, '--reuse-values', '--set', 'model.image.reference=', '--set', 'model.sha256=', '--wait', '--timeout', '5m')
  await waitRolledOut()
  t.same([...new Set((await servedModels()).map((m) => m.name))], ['iris'], 'no model source left: back to the image\'s model')
  t.equal((await kubectl('get', 'deployment', RELEASE, '-o', 'jsonpath={.spec.template.spec.initContainers}')).trim(), '', 'and no init container')
})

interface Hpa { spec: { minReplicas: number, maxReplicas: number }, status: { currentReplicas: number, desiredReplicas: number, currentMetrics?: { resource?: { name: string, current: { averageUtilization?: number } } }[] } }
const hpaState = () => kubectlJson<Hpa>('get', 'hpa', RELEASE)

/** Runs make loadtest against the NodePort and returns its output, and the HPA's peak CPU utilisation. */
async function loadtest (t: Test, vars: Record<string, string>, timeoutMs: number): Promise<{ output: string, peakCpu: number, replicas: number[] }> {
  let sampling = true
  let peakCpu = 0
  const replicas: number[] = []
  const sampler = (async () => {
    while (sampling) {
      const hpa = await hpaState().catch(() => undefined)
      const cpu = hpa?.status.currentMetrics?.find((m) => m.resource?.name === 'cpu')?.resource?.current.averageUtilization
      if (cpu !== undefined) peakCpu = Math.max(peakCpu, cpu)
      if (hpa) replicas.push(hpa.status.currentReplicas)
      await new Promise((resolve) => setTimeout(resolve, 5000))
    }
  })()
  const run = await make('loadtest', { URL: `http://${NODE_IP}:${await nodePort()}`, HPA: RELEASE, MAX_ERROR_RATE: '0.05', ...vars }, timeoutMs)
  sampling = false
  await sampler
  t.equal(run.code, 0, `make loadtest passed: ${run.output.slice(-2000)}`)
  return { output: run.output, peakCpu, replicas }
}

/** The replica timeline of make loadtest's table: seconds from load start to each new replica count. */
function replicaTimeline (output: string): { t: number, replicas: number }[] {
  const rows = [...output.matchAll(/^\| (\d+) \| [\w-]+ \| (\d+) \| (\d+) \| (\d+) \|$/gm)].map((m) => ({ t: Number(m[1]), replicas: Number(m[2]) }))
  return rows.filter((row, i) => i === 0 || row.replicas !== rows[i - 1].replicas)
}

t.test('5 and 7. the HPA scales on real CPU: 3 → 10 under make loadtest PROFILE=hpa, back to 2 after the window; maxReplicas=4 holds', async (t) => {
  const defaultWindow = process.env.HPA_WINDOW === 'default'
  // 10 pods must fit on 2 cores: a lower CPU request (the target stays 70 % of it).
  await upgrade('resources.requests.cpu=50m', ...(defaultWindow ? [] : ['autoscaling.behavior.scaleDown.stabilizationWindowSeconds=30']))
  const top = await waitFor('kubectl top pods answered for every pod', 120, async () => {
    const out = await kubectl('top', 'pods', '--selector', `app.kubernetes.io/instance=${RELEASE}`, '--no-headers')
    return out.trim().split('\n').length >= 2 ? out : undefined
  }, 3000)
  t.match(top, /\d+m\s+\d+Mi/, 'kubectl top pods reports CPU and memory (metrics-server)')
  // From 3 pods, as after an install; the load follows at once, before a 30 s window could take one away.
  await kubectl('scale', `deployment/${RELEASE}`, '--replicas', '3')
  await waitFor('3 pods Ready', 120, async () => (await readyPods()).length === 3, 500)

  // The hpa profile at full length with the default window; shortened stages with the test's 30 s window.
  const { warmup, ramp, plateau, cooldown } = defaultWindow ? PROFILES.hpa : { warmup: 5, ramp: 15, plateau: 100, cooldown: 150 }
  const stages = { WARMUP: String(warmup), RAMP: String(ramp), PLATEAU: String(plateau), COOLDOWN: String(cooldown) }
  const { output, peakCpu } = await loadtest(t, { PROFILE: 'hpa', ...stages }, 1_200_000)
  t.match(output, /\| time \(s\) \| stage \| HPA current \| HPA desired \| ready pods \|/, 'make loadtest printed the replica timeline from the API server')
  t.match(output, /needs at least (\d+) pods/)
  const timeline = replicaTimeline(output)
  const peak = Math.max(...timeline.map((p) => p.replicas))
  t.ok(peakCpu > 70, `the CPU utilisation passed the 70 % target (${peakCpu} %)`)
  t.equal(peak, 10, 'scaled up to maxReplicas')
  await waitFor('the HPA was back at minReplicas', defaultWindow ? 600 : 240, async () => (await hpaState()).status.currentReplicas === 2, 2000)
  const reached10 = timeline.find((p) => p.replicas === 10)?.t
  const plateauEnd = warmup + ramp + plateau
  const backAt2 = timeline.find((p) => p.replicas === 2 && p.t > (reached10 ?? 0))?.t
  record(`HPA (${defaultWindow ? 'the default 300 s' : 'a 30 s'} scale-down window, 50m CPU requested so that 10 pods fit on 2 cores): ` +
    `\`make loadtest PROFILE=hpa\` (stages ${warmup}/${ramp}/${plateau}/${cooldown} s) through the NodePort, peak CPU ${peakCpu} % of the request; ` +
    `replicas at seconds from load start: ${timeline.map((p) => `${p.t} s → ${p.replicas}`).join(', ')}; 10 pods after ${reached10 ?? '?'} s; ` +
    `${backAt2 === undefined ? 'back at 2 replicas after the load test' : `back at 2 replicas ${backAt2 - plateauEnd} s after the plateau ended`}`)

  await upgrade('autoscaling.maxReplicas=4')
  t.equal((await hpaState()).spec.maxReplicas, 4, 'helm upgrade --reuse-values --set autoscaling.maxReplicas=4 changed the live HPA')
  const capped = await loadtest(t, { PROFILE: 'hpa', WARMUP: '0', RAMP: '0', PLATEAU: '60', COOLDOWN: '0' }, 300_000)
  t.equal(Math.max(...capped.replicas), 4, `under the same load scaling stopped at 4 (${capped.replicas.join(', ')})`)
  record(`after \`helm upgrade --reuse-values --set autoscaling.maxReplicas=4\`, 60 s of the same load: replicas ${[...new Set(capped.replicas)].join(' → ')}, never above 4`)
  await upgrade('autoscaling.maxReplicas=10', 'autoscaling.behavior.scaleDown.stabilizationWindowSeconds=30')
  await waitFor('the HPA was back at 2 pods, none terminating', 300, async () => (await pods()).length === 2, 2000)
})

async function prometheusQuery (base: string, expr: string): Promise<{ status: string, error?: string, data?: { result: unknown[] } }> {
  return (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)).json() as Promise<{ status: string, data?: { result: unknown[] } }>
}

t.test('6. bundled monitoring: Prometheus scrapes every pod; every panel and alert has data; a restarting pod fires its alert', async (t) => {
  await upgrade('monitoring.bundled.enabled=true', 'monitoring.bundled.grafana.enabled=false',
    'monitoring.bundled.prometheus.image.repository=localhost/prometheus', 'monitoring.bundled.kubeStateMetrics.image.repository=localhost/kube-state-metrics')
  const prometheus = `http://${await serviceIp(`${RELEASE}-prometheus`)}:9090`
  const url = `http://${await serviceIp()}`
  const load = steadyLoad(url, 10)
  // Errors and out-of-range inputs too, so that their panels have series.
  const bad = setInterval(() => {
    void fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"features":[1,2]}' }).catch(() => undefined)
    void fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"features":[99,2.8,4.7,1.2]}' }).catch(() => undefined)
  }, 1000)
  try {
    const podCount = (await readyPods()).length
    await waitFor('Prometheus scraped every ml-api pod, kube-state-metrics and the kubelet', 180, async () => {
      const up = await prometheusQuery(prometheus, 'up == 1')
      const jobs = (up.data?.result ?? []) as { metric: { job: string } }[]
      return jobs.filter((s) => s.metric.job === RELEASE).length === podCount && jobs.some((s) => s.metric.job === 'kube-state-metrics') && jobs.some((s) => s.metric.job === 'kubelet')
    }, 3000)
    // Two scrapes at least, for rates.
    await new Promise((resolve) => setTimeout(resolve, 40_000))
    const podNames = (await readyPods()).map((p) => p.metadata.name)
    const substitute = (expr: string) => expr.replaceAll('$namespace', NAMESPACE).replaceAll('$job', RELEASE).replaceAll('$pod', `(${podNames.join('|')})`)
      .replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m')
    const panels: string[] = []
    for (const { panel, expr } of panelQueries(committedDashboards()['ml-api.json'])) {
      const result = await prometheusQuery(prometheus, substitute(expr))
      t.ok((result.data?.result.length ?? 0) > 0, `panel ${panel}: data for ${substitute(expr)}`)
      if (!panels.includes(panel)) panels.push(panel)
    }
    const rules = alertRules()
    for (const rule of rules) {
      const result = await prometheusQuery(prometheus, withBoolComparisons(rule.expr))
      t.ok((result.data?.result.length ?? 0) > 0, `alert ${rule.alert}: its series exist`)
    }
    record(`bundled monitoring: Prometheus scraped all ${podCount} pods, kube-state-metrics and the kubelet's cAdvisor; every query of the ${panels.length} panels ` +
      `(${panels.join(', ')}) and the expressions of all ${rules.length} alerts returned data`)
  } finally {
    clearInterval(bad)
    await load.stop()
  }

  const victim = (await readyPods())[0]
  const provoked = Date.now()
  for (let kill = 1; kill <= 3; kill++) {
    const pod = await waitFor(`the server of pod ${victim.metadata.name} ran and was Ready (${kill - 1} restarts)`, 180, async () => {
      const p = (await pods()).find((x) => x.metadata.name === victim.metadata.name)
      if (!p) throw new Error(`pod ${victim.metadata.name} is gone`)
      const container = p.status.containerStatuses?.[0]
      return container?.containerID && container.ready && container.restartCount === kill - 1 ? p : undefined
    }, 500)
    process.kill(serverPid(pod), 'SIGKILL')
  }
  const fired = await waitFor('MlApiPodRestarting fired', 240, async () => {
    const alerts = await (await fetch(`${prometheus}/api/v1/alerts`)).json() as { data: { alerts: { labels: { alertname: string }, state: string }[] } }
    return alerts.data.alerts.some((a) => a.labels.alertname === 'MlApiPodRestarting' && a.state === 'firing') ? Date.now() : undefined
  }, 3000)
  record(`alert MlApiPodRestarting fired ${seconds(fired - provoked)} after the first of 3 crashes of one pod's server`)
  await waitFor('the pod was Ready again', 180, async () => (await readyPods()).length >= 2)
})

t.test('8. every ops target works on the cluster, and fails at once with one line without one', async (t) => {
  for (const [target, vars, timeout, expect] of [
    ['status', {}, 60_000, /deployment\.apps\/ml-api|NAME\s+READY/],
    ['metrics', {}, 60_000, /CPU\(cores\)/],
    ['scale', { N: '3' }, 60_000, /scaled/],
    ['helm-test', {}, 180_000, /Phase:\s+Succeeded/],
    ['deploy', { HELM_ARGS: '--reuse-values --wait' }, 300_000, /STATUS: deployed/],
    ['restart', {}, 300_000, /successfully rolled out/]
  ] as const) {
    const result = await make(target, vars, timeout)
    t.equal(result.code, 0, `make ${target}: ${result.output.slice(-1500)}`)
    t.match(result.output, expect, `make ${target} output`)
  }
  // The long-running ones, stopped after a few seconds.
  const logs = await make('logs', {}, 6000)
  t.match(logs.output, /\[pod\/ml-api-[a-z0-9]+-[a-z0-9]+\/ml-api\]/, 'make logs follows the pods, prefixed')
  const watch = await make('watch', {}, 5000)
  t.match(watch.output, /== \d\d:\d\d:\d\d[\s\S]*horizontalpodautoscaler|== \d\d:\d\d:\d\d[\s\S]*ml-api/, 'make watch shows the HPA and the pods')
  const forwarding = make('port-forward', {}, 8000)
  const health = await waitFor('make port-forward answered on 127.0.0.1:8080', 7, async () => (await fetch('http://127.0.0.1:8080/health')).ok, 300)
  t.ok(health, 'make port-forward reaches the Service')
  await forwarding

  for (const target of ['status', 'deploy', 'delete']) {
    const started = Date.now()
    const noContext = await make(target, { KUBECONFIG: '/nonexistent' }, 20_000)
    t.not(noContext.code, 0, `make ${target} without a context fails`)
    const lines = noContext.output.trim().split('\n').filter((line) => !/^make(\[\d+\])?: \*\*\*/.test(line))
    t.equal(lines.length, 1, `make ${target}: one line (${noContext.output})`)
    t.match(lines[0], /^error: kubectl has no current context/)
    t.notMatch(noContext.output, /memcache|localhost:8080/, 'no kubectl fallback noise')
    t.ok(Date.now() - started < 10_000, `at once (${seconds(Date.now() - started)})`)
  }
  record('ops targets status, metrics, scale, helm-test, deploy, restart, logs, watch, port-forward and delete ran against the cluster; ' +
    'without a reachable cluster each stops at once with one line')
})

t.test('9. make delete (helm uninstall) leaves nothing of the release behind', async (t) => {
  const result = await make('delete', {}, 300_000)
  t.equal(result.code, 0, result.output)
  await waitFor('the pods were gone', 120, async () => (await pods()).length === 0)
  const kinds = (await kubectl('api-resources', '--verbs=list', '--namespaced', '-o', 'name')).trim().split('\n')
    .filter((kind) => !['events', 'events.events.k8s.io'].includes(kind))
  const left = (await kubectl('get', kinds.join(','), '--ignore-not-found', '-o', 'name')).trim().split('\n')
    .filter((name) => name !== '' && !/^(serviceaccount\/default|configmap\/kube-root-ca\.crt)$/.test(name))
  t.same(left, [], `nothing left in namespace ${NAMESPACE}`)
  const clusterWide = (await kubectl('get', 'clusterroles,clusterrolebindings', '-o', 'name')).split('\n').filter((n) => n.includes(`${NAMESPACE}-${RELEASE}`))
  t.same(clusterWide, [], 'no ClusterRole or ClusterRoleBinding left')
  t.equal((await helm('list', '--all', '-q')).trim(), '', 'no release left')
  record(`\`make delete\` (helm uninstall --wait): nothing of the release left in the namespace (${kinds.length} kinds listed) or cluster-wide`)
  await kubectl('delete', 'namespace', NAMESPACE, '--wait=false')
})

