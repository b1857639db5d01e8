import t from 'tap'
import { dashboards } from '../../dashboards/index.js'
import { committedDashboards, panelQueries } from '../helpers/monitoring.js'
import { readFileSync } from 'node:fs'

t.test('the committed dashboard JSON is exactly what the code generates (run npm run dashboards)', async (t) => {
  for (const [file, json] of Object.entries(dashboards())) {
    t.equal(readFileSync(new URL(`../../chart/files/dashboards/${file}`, import.meta.url), 'utf8'), json, file)
  }
})

t.test('the dashboard has the panels operators need, all on the $datasource variable', async (t) => {
  const dashboard = committedDashboards()['ml-api.json']
  t.equal(dashboard.uid, 'ml-api-overview')
  t.same(dashboard.templating.list.map((v) => v.name), ['datasource', 'namespace', 'job', 'pod'])
  const titles = dashboard.panels.map((p) => p.title)
  for (const title of ['Request rate', 'Pods', 'Latency (prediction routes)', 'CPU per pod', 'Memory per pod', 'Prediction distribution',
    'Error rate', 'HPA status', 'Load shedding', 'Event-loop lag', 'Out-of-range inputs']) {
    t.ok(titles.includes(title), title)
  }
  const pie = dashboard.panels.find((p) => p.title === 'Prediction distribution')
  t.equal(pie?.type, 'piechart')
  t.match(pie?.options, { legend: { showLegend: true, values: ['value', 'percent'] } }, 'the pie chart names its classes in a legend')
  const pod = dashboard.templating.list.find((v) => v.name === 'pod')
  t.match(pod, { includeAll: true, multi: true }, 'the pod variable offers All')
  t.notOk(pod?.allValue, 'All means the release\'s pods (Grafana joins the listed values), not a regex that matches every pod in the namespace')
  t.equal(dashboard.panels.find((p) => p.title === 'HPA status')?.type, 'table')
  for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
    t.equal(panel.datasource?.uid, '$datasource', `${panel.title}: datasource`)
    t.ok(panel.description, `${panel.title}: described`)
    for (const target of panel.targets ?? []) t.equal(target.datasource.uid, '$datasource', `${panel.title}: target datasource`)
  }
})

t.test('queries use Grafana\'s rate interval and the dashboard variables', async (t) => {
  const queries = panelQueries(committedDashboards()['ml-api.json'])
  t.ok(queries.length >= 25, `${queries.length} queries`)
  for (const { panel, expr } of queries) {
    for (const window of expr.matchAll(/\[([^\]]+)\]/g)) t.match(window[1], /^\$__(rate_interval|range)$/, `${panel}: ${window[0]}`)
    t.match(expr, /namespace="\$namespace"/, `${panel}: scoped to the namespace`)
    t.notMatch(expr, /job="ml-api"|deployment="ml-api"/, `${panel}: no hard-coded release`)
  }
  const latency = queries.filter((q) => q.panel === 'Latency (prediction routes)').map((q) => q.expr)
  t.match(latency.join('\n'), /histogram_quantile\(0\.5,[\s\S]*histogram_quantile\(0\.95,[\s\S]*histogram_quantile\(0\.99,/)
  const cpu = queries.find((q) => q.panel === 'CPU per pod')?.expr ?? ''
  t.match(cpu, /container_cpu_usage_seconds_total\{.*container!="", image!=""/, 'cAdvisor filters as kubernetes-mixin does')
})
