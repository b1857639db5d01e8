let lastMs = -1
let lastIso = ''
let minuteStart = -1
let minutePrefix = ''

/**
 * `ms` (since the epoch, from 1970 to 9999) as ISO-8601 UTC, like `Date.prototype.toISOString`. V8 formats
 * a date through printf, thousands of instructions; here only the seconds and milliseconds are formatted,
 * after the minute's `YYYY-MM-DDTHH:mm:` once a minute.
 */
export function isoString (ms: number): string {
  const ofMinute = ms % 60_000
  if (ms - ofMinute !== minuteStart) {
    minuteStart = ms - ofMinute
    minutePrefix = new Date(minuteStart).toISOString().slice(0, 17)
  }
  const seconds = (ofMinute / 1000) | 0
  const millis = ofMinute % 1000
  return minutePrefix + (seconds < 10 ? '0' : '') + seconds + (millis < 10 ? '.00' : millis < 100 ? '.0' : '.') + millis + 'Z'
}

/** The current time as ISO-8601 UTC, formatted at most once per millisecond (responses carry it). */
export function isoNow (): string {
  const now = Date.now()
  if (now !== lastMs) {
    lastMs = now
    lastIso = isoString(now)
  }
  return lastIso
}
