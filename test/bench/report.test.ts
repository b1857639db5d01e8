import { readFileSync } from 'node:fs'
import t from 'tap'
import { type BenchResults, budgets, capacityTable, readResults, reports } from '../../bench/report.js'

const summary = (median: number) => ({ median, min: median, max: median })
const oneRow = (cpu: number, rps: number) => ({ rps: summary(rps), p50Ms: summary(1), p99Ms: summary(2), cpuPerRequestUs: summary(cpu) })
const server = (name: string, cpu: number, rps: number, coldStartMs: number, rssMb: number) => ({
  name, coldStartMs: summary(coldStartMs), rssStartBytes: rssMb * 2 ** 20, rssAfterLoadBytes: rssMb * 2 ** 20,
  oneRow: { 1: oneRow(cpu, rps), 10: oneRow(cpu, rps), 50: oneRow(cpu, rps) }
})

function results (api: { cpu: number, rssMb: number, coldStartMs: number }, overhead: number): BenchResults {
  return {
    date: '2026-01-01T00:00:00Z', machine: 'test machine', python: 'Python 3', reps: 3, seconds: 3, coldStarts: 5, durationSeconds: 200,
    model: { trees: 25, maxDepth: 3, reps: 7, ms: 400, rowsPerSecond: {}, ratios: { single: 60, batch: 90 } },
    servers: [server('ml-api', api.cpu, 16000, api.coldStartMs, api.rssMb), server('Flask + gunicorn', 1800, 550, 1100, 140), server('FastAPI + uvicorn', 3000, 300, 1000, 120)],
    mlApiRssPeakBytes: api.rssMb * 2 ** 20,
    batches: { '/predict': { rowsPerSecond: summary(1_400_000), p99Ms: summary(20) }, '/v2/models/iris/infer': { rowsPerSecond: summary(400_000), p99Ms: summary(5) } },
    metricsOverhead: summary(overhead)
  }
}

t.test('budgets: each is met or missed by its figure, against the Python server that spent less CPU', async (t) => {
  const met = budgets(results({ cpu: 50, rssMb: 90, coldStartMs: 400 }, 0.02))
  t.same(met.map((b) => b.met), [true, true, true, false, true, true, true], 'the 400,000 rows/s batch route misses ≥ 500,000')
  t.match(met[1], { measure: /than Flask \+ gunicorn/, measured: '36x' }, '1,800 µs / 50 µs')
  const missed = budgets(results({ cpu: 70, rssMb: 150, coldStartMs: 600 }, 0.2))
  t.same(missed.map((b) => b.met), [false, false, true, false, false, false, false])
})

t.test('the capacity table follows from the CPU time per request', async (t) => {
  const table = capacityTable(50)
  t.match(table, /\*\*50 µs\*\*/)
  t.match(table, /about 20,000 req\/s/, '1 s / 50 µs per core')
  t.match(table, /\| 70 % of the 500m limit \(350m\) \| 7,000 \|/)
  t.match(table, /\| 70 % of the 250m request \(175m\).* \| 3,500 \|/)
  t.match(table, /\| 1,000 req\/s \| 2 \|/, 'never below minReplicas')
  t.match(table, /\| 10,000 req\/s \| 3 \|/)
  t.match(table, /\| 100,000 req\/s \| 29 \|/)
})

t.test('README.md and docs/performance.md carry the figures of the committed results (npm run bench:report)', async (t) => {
  for (const [file, text] of Object.entries(reports(readResults()))) {
    t.equal(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'), text, file)
  }
})
