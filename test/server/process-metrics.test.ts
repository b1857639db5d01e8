import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { collectDefaultMetrics, Registry } from 'prom-client'
import { collectProcessMetrics } from '../../src/metrics/process-metrics.js'

async function families (registry: Registry): Promise<string[]> {
  return (await registry.getMetricsAsJSON()).map((metric) => metric.name).sort()
}

/** Allocates some 30 MB of short-lived arrays, each kept until 1,000 more were made: V8 has to collect its young generation. */
function makeGarbage (): void {
  const ring: number[][] = new Array(1000)
  for (let i = 0; i < 200_000; i++) ring[i % 1000] = new Array(16).fill(i)
}

function minorCollections (text: string): number {
  return Number(/^nodejs_gc_duration_seconds_count\{kind="minor"\} (\d+)$/m.exec(text)?.[1] ?? 0)
}

t.test('the process metrics are prom-client\'s default metrics, the GC duration histogram only when asked', async (t) => {
  const defaults = new Registry()
  collectDefaultMetrics({ register: defaults })
  const expected = await families(defaults)
  t.ok(expected.includes('nodejs_gc_duration_seconds'))

  const withGc = new Registry()
  collectProcessMetrics(withGc, { gcDuration: true })
  t.same(await families(withGc), expected)

  const withoutGc = new Registry()
  collectProcessMetrics(withoutGc, { gcDuration: false })
  t.same(await families(withoutGc), expected.filter((name) => name !== 'nodejs_gc_duration_seconds'))
})

t.test('with the GC duration histogram, young-generation collections are counted', async (t) => {
  const registry = new Registry()
  collectProcessMetrics(registry, { gcDuration: true })
  // Node hands collections to observers a little later, on the event loop.
  let counted = 0
  for (let round = 0; round < 20 && counted === 0; round++) {
    makeGarbage()
    await sleep(10)
    counted = minorCollections(await registry.metrics())
  }
  t.ok(counted > 0, `minor collections counted: ${counted}`)
})
