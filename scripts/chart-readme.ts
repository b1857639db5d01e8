/**
 * Generates the values table of chart/README.md from the `## @param` lines of chart/values.yaml.
 *   npm run chart:readme            rewrites the table
 * test/chart/values-doc.test.ts fails when the committed table differs, or a value has no @param line.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { replaceMarked } from './markers.js'

export const VALUES = fileURLToPath(new URL('../chart/values.yaml', import.meta.url))
export const CHART_README = fileURLToPath(new URL('../chart/README.md', import.meta.url))

export interface Param { name: string, kind: string | undefined, description: string, section: string }

/** The `## @param name [kind] description` lines, in order, with the `## @section` they are in. */
export function params (text = readFileSync(VALUES, 'utf8')): Param[] {
  let section = ''
  const result: Param[] = []
  for (const line of text.split('\n')) {
    const sectionMatch = /^\s*## @section (.+)$/.exec(line)
    if (sectionMatch) section = sectionMatch[1]
    const match = /^\s*## @param (\S+)(?: \[(\w+)\])? (.+)$/.exec(line)
    if (match) result.push({ name: match[1], kind: match[2], description: match[3], section })
  }
  return result
}

/** The value at a dotted path of the parsed values. */
export function valueAt (values: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values)
}

/** Dotted paths of every leaf; maps and lists documented as a whole ([object], [array]) count as one leaf. */
export function leafPaths (values: unknown, documentedWhole: Set<string>, prefix = ''): string[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values) || documentedWhole.has(prefix)) return [prefix]
  return Object.entries(values).flatMap(([key, child]) => leafPaths(child, documentedWhole, prefix === '' ? key : `${prefix}.${key}`))
}

function cell (value: unknown): string {
  const text = value === '' ? '""' : JSON.stringify(value)
  return `\`${text.replace(/\|/g, '\\|')}\``
}

export function valuesTable (): string {
  const values = parse(readFileSync(VALUES, 'utf8'))
  const rows: string[] = []
  let section = ''
  for (const param of params()) {
    if (param.section !== section) {
      section = param.section
      rows.push('', `### ${section}`, '', '| value | description | default |', '|---|---|---|')
    }
    rows.push(`| \`${param.name}\` | ${param.description.replace(/\|/g, '\\|')} | ${cell(valueAt(values, param.name))} |`)
  }
  return rows.join('\n')
}

/** chart/README.md with its values table replaced by a fresh one. */
export function readmeWithTable (readme = readFileSync(CHART_README, 'utf8')): string {
  return replaceMarked(readme, 'values table', valuesTable(), 'chart/README.md')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CHART_README, readmeWithTable())
  console.log('wrote chart/README.md')
}
