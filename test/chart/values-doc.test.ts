import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { CHART_README, leafPaths, params, readmeWithTable, VALUES, valueAt } from '../../scripts/chart-readme.js'

t.test('every value has exactly one @param line, and every @param names a value', async (t) => {
  const values = parse(readFileSync(VALUES, 'utf8'))
  const documented = params()
  const names = documented.map((p) => p.name)
  t.equal(new Set(names).size, names.length, 'no value documented twice')
  const whole = new Set(documented.filter((p) => p.kind !== undefined).map((p) => p.name))
  const leaves = leafPaths(values, whole)
  t.same(leaves.filter((leaf) => !names.includes(leaf)), [], 'values without a @param line')
  t.same(names.filter((name) => valueAt(values, name) === undefined), [], '@param lines naming no value')
  for (const p of documented.filter((p) => p.kind !== undefined)) {
    const value = valueAt(values, p.name)
    t.equal(p.kind, Array.isArray(value) ? 'array' : 'object', `${p.name} is an ${p.kind}`)
  }
})

t.test('the values table of chart/README.md is generated from them (run npm run chart:readme)', async (t) => {
  t.equal(readFileSync(CHART_README, 'utf8'), readmeWithTable())
})
