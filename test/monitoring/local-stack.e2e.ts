import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

t.test('the local stack\'s Prometheus config passes promtool check config', async (t) => {
  const dir = t.testdir()
  const config = readFileSync(fileURLToPath(new URL('../../chart/files/prometheus/local-stack.yml', import.meta.url)), 'utf8')
  // In the container the rules are mounted at /etc/prometheus; here they are read from the repository.
  writeFileSync(join(dir, 'prometheus.yml'), config.replace('/etc/prometheus/alerts.yaml', fileURLToPath(new URL('../../chart/files/alerts.yaml', import.meta.url))))
  const output = execFileSync(process.env.PROMTOOL ?? 'promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' })
  t.match(output, /SUCCESS: .*is valid prometheus config file syntax/)
  t.match(output, /SUCCESS: 9 rules found/)
})
