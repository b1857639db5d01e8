import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (path: string) => parse(readFileSync(`${root}${path}`, 'utf8'))

interface Service { build?: string, image?: string, volumes?: string[], environment?: Record<string, string>, ports?: string[], read_only?: boolean }
const compose = read('compose.yaml') as { services: Record<string, Service> }

t.test('compose.yaml: the API, Prometheus and Grafana, bound to loopback, mounting files that exist', async (t) => {
  t.same(Object.keys(compose.services), ['api', 'prometheus', 'grafana'])
  t.equal(compose.services.api.build, '.', 'the API is built from the Dockerfile')
  t.equal(compose.services.api.read_only, true)
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports ?? []) t.match(port, /^127\.0\.0\.1:/, `${name} publishes on loopback only`)
    for (const volume of service.volumes ?? []) {
      const host = volume.split(':')[0]
      t.ok(existsSync(`${root}${host}`), `${name} mounts ${host}, which exists`)
    }
  }
})

t.test('Grafana\'s admin password comes from the environment, with no default', async (t) => {
  const password = compose.services.grafana.environment?.GF_SECURITY_ADMIN_PASSWORD ?? ''
  t.match(password, /^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/, 'compose refuses to start without it')
})

t.test('Prometheus scrapes with the shared job and loads the one rule file', async (t) => {
  const config = read('chart/files/prometheus/local-stack.yml') as { rule_files: string[], scrape_configs: Record<string, unknown>[] }
  const shared = read('chart/files/prometheus/scrape-job.yaml') as Record<string, unknown>
  const job = config.scrape_configs.find((c) => c.job_name === shared.job_name) ?? {}
  const { static_configs: targets, ...rest } = job
  t.same(rest, shared, 'the ml-api job is chart/files/prometheus/scrape-job.yaml')
  t.match(targets, [{ targets: ['api:8080'], labels: { namespace: 'local', pod: 'api' } }])
  t.same(config.rule_files, ['/etc/prometheus/alerts.yaml'])
  t.ok(compose.services.prometheus.volumes?.includes('./chart/files/alerts.yaml:/etc/prometheus/alerts.yaml:ro'), 'mounted from the rule file')
})

t.test('Grafana provisions the Prometheus data source and the committed dashboards', async (t) => {
  const datasources = read('dashboards/grafana/provisioning/datasources/prometheus.yaml') as { datasources: { type: string, url: string }[] }
  t.match(datasources.datasources, [{ type: 'prometheus', url: 'http://prometheus:9090' }])
  const providers = read('dashboards/grafana/provisioning/dashboards/ml-api.yaml') as { providers: { options: { path: string } }[] }
  const path = providers.providers[0].options.path
  t.ok(compose.services.grafana.volumes?.includes(`./chart/files/dashboards:${path}:ro`), `the committed dashboards are mounted at ${path}`)
})
