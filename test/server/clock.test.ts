import t from 'tap'
import { isoNow } from '../../src/clock.js'

t.test('isoNow is the current time in ISO-8601 UTC', async (t) => {
  const before = Date.now()
  const now = isoNow()
  t.match(now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  const parsed = Date.parse(now)
  t.ok(parsed >= before && parsed <= Date.now(), 'not stale')
  await new Promise((resolve) => setTimeout(resolve, 5))
  t.ok(Date.parse(isoNow()) > parsed, 'moves on when the millisecond changes')
})
