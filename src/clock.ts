let lastMs = -1
let lastIso = ''

/** The current time as ISO-8601 UTC, formatted at most once per millisecond (responses carry it). */
export function isoNow (): string {
  const now = Date.now()
  if (now !== lastMs) {
    lastMs = now
    lastIso = new Date(now).toISOString()
  }
  return lastIso
}
