import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse, stringify } from 'yaml'
import { freePort } from '../../scripts/free-port.js'
import { startFixtureExporter } from '../helpers/fixture-exporter.js'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { alertRules, committedDashboards, panelQueries, withBoolComparisons } from '../helpers/monitoring.js'
import { startServer } from '../helpers/server-process.js'

/*
 * The dashboards and alerts against a real Prometheus (Debian's package): the server and a fixture
 * exporter for kube-state-metrics and cAdvisor series are scraped on loopback, traffic flows, and every
 * panel query and every alert expression must parse and return data.
 */

const NAMESPACE = 'e2e'
const RELEASE = 'ml-api'
const POD = 'ml-api-7d9f8c6b5-x2k4p'
const ALERTS = fileURLToPath(new URL('../../chart/files/alerts.yaml', import.meta.url))
const SCRAPE_JOB = fileURLToPath(new URL('../../chart/files/prometheus/scrape-job.yaml', import.meta.url))

interface QueryResult { status: string, error?: string, data?: { result: unknown[] } }

t.test('every dashboard query and alert expression returns data from a real Prometheus', async (t) => {
  const dir = t.testdir()
  const app = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' })
  t.teardown(() => { app.child.kill('SIGKILL') })
  const fixture = await startFixtureExporter(NAMESPACE, RELEASE, POD)
  t.teardown(() => { fixture.server.close() })

  // The shared scrape job, with static targets and the labels Kubernetes discovery would add.
  const job = { ...parse(readFileSync(SCRAPE_JOB, 'utf8')), scrape_interval: '1s', scrape_timeout: '1s' }
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [ALERTS],
    scrape_configs: [
      { ...job, static_configs: [{ targets: [`127.0.0.1:${app.port}`], labels: { namespace: NAMESPACE, pod: POD } }] },
      { job_name: 'kube-state-metrics', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${fixture.port}`] }] },
      { job_name: 'kubelet', honor_labels: true, metrics_path: '/metrics/cadvisor', static_configs: [{ targets: [`127.0.0.1:${fixture.port}`] }] }
    ]
  }
  const configPath = join(dir, 'prometheus.yml')
  writeFileSync(configPath, stringify(config))
  t.match(execFileSync(process.env.PROMTOOL ?? 'promtool', ['check', 'config', configPath], { encoding: 'utf8' }), /SUCCESS/, 'promtool check config')

  const port = await freePort()
  const prometheus: ChildProcess = spawn('prometheus', [`--config.file=${configPath}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let prometheusLog = ''
  prometheus.stderr?.on('data', (chunk: Buffer) => { prometheusLog += chunk.toString() })
  t.teardown(() => { prometheus.kill('SIGKILL') })

  const api = async (path: string): Promise<QueryResult> => (await fetch(`http://127.0.0.1:${port}${path}`)).json() as Promise<QueryResult>
  const query = (expr: string) => api(`/api/v1/query?query=${encodeURIComponent(expr)}`)

  // Traffic: valid rows and batches on every protocol, invalid bodies, and out-of-range values.
  const base = `http://127.0.0.1:${app.port}`
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  let traffic = true
  const load = (async () => {
    while (traffic) {
      await post('/predict', { features: [5.1, 3.5, 1.4, 0.2] })
      await post('/predict', { instances: [[6.7, 3.0, 5.2, 2.3], [6.4, 3.2, 4.5, 1.5], [9.9, 3.0, 0.1, 9.0]] })
      await post('/v1/models/iris:predict', { instances: [[6.0, 3.4, 4.5, 1.6]] })
      await post('/v2/models/iris/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4] }] })
      await post('/predict', { features: [1, 2] })
      await fetch(`${base}/nope`)
      await sleep(20)
    }
  })()
  t.teardown(async () => { traffic = false; await load })

  // Ready when every target has been scraped a few times.
  let scraped = false
  for (let i = 0; i < 60 && !scraped; i++) {
    await sleep(500)
    const up = await query('min by (job) (count_over_time(up[1m])) >= 4').catch(() => undefined)
    scraped = up?.status === 'success' && up.data?.result.length === 3
  }
  t.ok(scraped, `Prometheus scraped the server and the fixture exporter ${prometheusLog}`)

  const substitute = (expr: string) => expr
    .replaceAll('$namespace', NAMESPACE).replaceAll('$job', RELEASE).replaceAll('$pod', POD)
    .replaceAll('$__rate_interval', '30s').replaceAll('$__range', '1m')

  for (const [file, dashboard] of Object.entries(committedDashboards())) {
    for (const { panel, expr } of panelQueries(dashboard)) {
      const result = await query(substitute(expr))
      t.equal(result.status, 'success', `${file} / ${panel}: parses ${result.error ?? ''}`)
      t.ok((result.data?.result.length ?? 0) > 0, `${file} / ${panel}: returns data for ${expr}`)
    }
    for (const variable of ['namespace', 'job', 'pod']) {
      const values = await api(`/api/v1/label/${variable}/values?match[]=${encodeURIComponent(`ml_model_info{namespace="${NAMESPACE}"}`)}`) as unknown as { data: string[] }
      t.ok(values.data.length > 0, `${file}: the $${variable} variable has values (${values.data.join(', ')})`)
    }
  }

  const rules = await api('/api/v1/rules') as unknown as { data: { groups: { rules: { name: string, health: string, lastError?: string }[] }[] } }
  const loaded = rules.data.groups.flatMap((g) => g.rules)
  for (const rule of alertRules()) {
    const state = loaded.find((r) => r.name === rule.alert)
    t.equal(state?.health, 'ok', `${rule.alert}: loaded and evaluated without error ${state?.lastError ?? ''}`)
    const result = await query(withBoolComparisons(rule.expr))
    t.equal(result.status, 'success', `${rule.alert}: parses`)
    t.ok((result.data?.result.length ?? 0) > 0, `${rule.alert}: its series exist (${withBoolComparisons(rule.expr).replace(/\s+/g, ' ')})`)
  }
})
