import t from 'tap'
import { formatPercent, formatSummary, summarize } from '../../bench/stats.js'

t.test('formatPercent: one decimal, and a difference that rounds to nothing is 0.0 %, not -0.0 %', async (t) => {
  t.equal(formatPercent(0.016948183410538276), '1.7 %')
  t.equal(formatPercent(0.11949), '11.9 %')
  t.equal(formatPercent(-0.0123), '-1.2 %')
  t.equal(formatPercent(-0.00004), '0.0 %')
  t.equal(formatPercent(0), '0.0 %')
})

t.test('summarize and formatSummary: median (min – max)', async (t) => {
  t.same(summarize([3, 1, 2]), { median: 2, min: 1, max: 3 })
  t.same(summarize([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 })
  t.equal(formatSummary({ median: 1234567.4, min: 1200000, max: 1300000 }), '1,234,567 (1,200,000 – 1,300,000)')
  t.equal(formatSummary({ median: 0.4551, min: 0.41, max: 0.461 }, 3), '0.455 (0.410 – 0.461)')
})
