import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { alertRules, withBoolComparisons } from '../helpers/monitoring.js'

const runbooks = readFileSync(new URL('../../docs/runbooks.md', import.meta.url), 'utf8')
/** The chart's default: the rule file links the same page, which the chart swaps for the value. */
const RUNBOOKS_URL = (parse(readFileSync(new URL('../../chart/values.yaml', import.meta.url), 'utf8')) as { monitoring: { runbookBaseUrl: string } }).monitoring.runbookBaseUrl

t.test('every alert has a severity, a summary, a description and an absolute link to its runbook', async (t) => {
  const rules = alertRules()
  t.same(rules.map((r) => r.alert), ['MlApiHighErrorRatio', 'MlApiHighLatencyP99', 'MlApiLoadShedding', 'MlApiTargetDown', 'MlApiNoReadyPods',
    'MlApiPodRestarting', 'MlApiHpaMaxedOut', 'MlApiModelVersionMismatch', 'MlApiInputDrift'])
  for (const rule of rules) {
    t.match(rule.labels.severity, /^(critical|warning|info)$/, `${rule.alert}: severity`)
    t.ok(rule.annotations.summary && rule.annotations.description, `${rule.alert}: summary and description`)
    t.equal(rule.annotations.runbook_url, `${RUNBOOKS_URL}#${rule.alert.toLowerCase()}`, `${rule.alert}: runbook_url`)
    t.match(runbooks, new RegExp(`^## ${rule.alert}$`, 'm'), `${rule.alert}: docs/runbooks.md has its runbook`)
  }
  t.equal(rules.find((r) => r.alert === 'MlApiHpaMaxedOut')?.for, '15m', 'HPA at max for 15 minutes')
})

t.test('withBoolComparisons turns filters into 0/1 comparisons, outside label matchers only', async (t) => {
  t.equal(withBoolComparisons('up{job="a",x!="b"} == 0'), 'up{job="a",x!="b"} == bool 0')
  t.equal(withBoolComparisons('a / b > 0.05'), 'a / b > bool 0.05')
  t.equal(withBoolComparisons('a == b and c != d'), 'a == bool b and c != bool d')
  t.equal(withBoolComparisons('x{route=~"/a|/b"} >= bool 1'), 'x{route=~"/a|/b"} >= bool 1')
  t.equal(withBoolComparisons('m{l="a>b"} < 3'), 'm{l="a>b"} < bool 3')
})
