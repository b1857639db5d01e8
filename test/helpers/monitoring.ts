import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

export interface AlertRule { alert: string, expr: string, for?: string, labels: Record<string, string>, annotations: Record<string, string> }

const root = new URL('../../', import.meta.url)

export function alertRules (): AlertRule[] {
  const file = parse(readFileSync(new URL('chart/files/alerts.yaml', root), 'utf8')) as { groups: { rules: AlertRule[] }[] }
  return file.groups.flatMap((group) => group.rules)
}

interface Panel { type: string, title: string, description?: string, options?: Record<string, unknown>, datasource?: { uid: string }, targets?: { expr: string, datasource: { uid: string } }[] }
export interface Dashboard { uid: string, title: string, panels: Panel[], templating: { list: { name: string, query?: unknown, includeAll?: boolean, multi?: boolean, allValue?: string }[] } }

export function committedDashboards (): Record<string, Dashboard> {
  const files = ['ml-api.json']
  return Object.fromEntries(files.map((file) => [file, JSON.parse(readFileSync(new URL(`chart/files/dashboards/${file}`, root), 'utf8')) as Dashboard]))
}

/** Every PromQL expression of a dashboard, with the panel it belongs to. */
export function panelQueries (dashboard: Dashboard): { panel: string, expr: string }[] {
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })))
}

/**
 * The expression with every comparison made a `bool` comparison: it then returns each series it
 * compares (as 0 or 1) instead of only those past the threshold, so "returns data" means the
 * metrics and label joins of an alert exist, whether or not it fires.
 */
export function withBoolComparisons (expr: string): string {
  let out = ''
  let depth = 0
  let quoted = false
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]
    if (ch === '"' && expr[i - 1] !== '\\') quoted = !quoted
    if (!quoted && ch === '{') depth++
    if (!quoted && ch === '}') depth--
    const op = /^(==|!=|>=|<=|>|<)/.exec(expr.slice(i))?.[0]
    if (!quoted && depth === 0 && op !== undefined && !/^\s*bool\b/.test(expr.slice(i + op.length))) {
      out += `${op} bool`
      i += op.length - 1
      continue
    }
    out += ch
  }
  return out
}
