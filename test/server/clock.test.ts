import t from 'tap'
import fc from 'fast-check'
import { isoNow, isoString } from '../../src/clock.js'

t.test('isoNow is the current time in ISO-8601 UTC', async (t) => {
  const before = Date.now()
  const now = isoNow()
  t.match(now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  const parsed = Date.parse(now)
  t.ok(parsed >= before && parsed <= Date.now(), 'not stale')
  await new Promise((resolve) => setTimeout(resolve, 5))
  t.ok(Date.parse(isoNow()) > parsed, 'moves on when the millisecond changes')
})

t.test('isoString formats any instant as Date.prototype.toISOString does', async (t) => {
  const instant = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) })
  fc.assert(fc.property(instant, (ms) => isoString(ms) === new Date(ms).toISOString()), { numRuns: 20_000 })
  // Neighbouring instants reuse the minute's prefix: the edges of a minute, a day and a year.
  for (const edge of [Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2028, 1, 29, 0, 0, 59, 9), 0]) {
    for (const ms of [edge - 1, edge, edge + 1, edge + 10, edge + 100, edge + 1000].filter((x) => x >= 0)) {
      t.equal(isoString(ms), new Date(ms).toISOString(), new Date(ms).toISOString())
    }
  }
})
