import { readFileSync } from 'node:fs'
import t from 'tap'
import { capacityTable, readmeWithCapacity } from '../../scripts/capacity.js'

t.test('the capacity table follows from the CPU time per request', async (t) => {
  const table = capacityTable(50, 'test machine', '2026-01-01T00:00:00Z')
  t.match(table, /\*\*50 µs\*\*/)
  t.match(table, /about\n20,000 req\/s/, '1 s / 50 µs per core')
  t.match(table, /\| 70 % of the 500m limit \(350m\) \| 7,000 \|/)
  t.match(table, /\| 70 % of the 250m request \(175m\).* \| 3,500 \|/)
  t.match(table, /\| 1,000 req\/s \| 2 \|/, 'never below minReplicas')
  t.match(table, /\| 10,000 req\/s \| 3 \|/)
  t.match(table, /\| 100,000 req\/s \| 29 \|/)
})

t.test('the README carries the table computed from the committed benchmark results (npm run capacity)', async (t) => {
  t.equal(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'), readmeWithCapacity())
})
