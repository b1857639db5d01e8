import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse, stringify } from 'yaml'
import { render } from '../helpers/chart.js'

t.test('the chart\'s bundled Prometheus config and rules pass promtool check config', async (t) => {
  for (const cadvisor of [false, true]) {
    const dir = t.testdir()
    const config = render('bundled-monitoring', [`monitoring.bundled.prometheus.scrapeCadvisor=${cadvisor}`])
      .find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ml-api-prometheus') as unknown as { data: Record<string, string> }
    const prometheus = parse(config.data['prometheus.yml']) as { rule_files: string[], scrape_configs: { job_name: string }[] }
    // In the pod the rules are mounted at /etc/prometheus and the service-account token and CA at
    // /var/run/secrets/kubernetes.io/serviceaccount; promtool checks those files exist, so here they
    // are stand-ins beside the config.
    writeFileSync(join(dir, 'alerts.yaml'), config.data['alerts.yaml'])
    writeFileSync(join(dir, 'token'), 'stand-in')
    writeFileSync(join(dir, 'ca.crt'), 'stand-in')
    const local = config.data['prometheus.yml'].replaceAll('/var/run/secrets/kubernetes.io/serviceaccount/', `${dir}/`)
    writeFileSync(join(dir, 'prometheus.yml'), stringify({ ...parse(local), rule_files: ['alerts.yaml'] }))
    t.same(prometheus.rule_files, ['/etc/prometheus/alerts.yaml'])
    t.same(prometheus.scrape_configs.map((c) => c.job_name), cadvisor ? ['ml-api', 'kubelet', 'kube-state-metrics'] : ['ml-api', 'kube-state-metrics'])
    const output = execFileSync(process.env.PROMTOOL ?? 'promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    t.match(output, /SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/, `cAdvisor ${cadvisor}`)
    t.match(output, /SUCCESS: 9 rules found/)
  }
})
