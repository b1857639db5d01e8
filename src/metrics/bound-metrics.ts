import type { Registry } from 'prom-client'

/*
 * Counters and histograms whose label sets are resolved once, when a series is created: recording is
 * then an addition to a number in an array. prom-client's own labelled metrics validate and hash the
 * label values on every call, which costs more than the rest of a one-row prediction. prom-client
 * stays the registry and the exposition format: these register through its metric interface
 * (`name` and `get()`), beside its default process metrics.
 */

type Labels = Record<string, string>
interface Value { labels: Labels, value: number, metricName?: string }

abstract class BoundMetric<Series> {
  readonly name: string
  readonly help: string
  abstract readonly type: 'counter' | 'histogram'
  readonly aggregator = 'sum'
  protected readonly series = new Map<string, { labels: Labels, data: Series }>()

  constructor (registry: Registry, name: string, help: string) {
    this.name = name
    this.help = help
    registry.registerMetric(this as never)
  }

  /** The series of these label values, created (at zero) on first use; keep it to record cheaply. */
  protected resolve (labels: Labels, create: () => Series): Series {
    const key = JSON.stringify(labels)
    let entry = this.series.get(key)
    if (entry === undefined) {
      entry = { labels, data: create() }
      this.series.set(key, entry)
    }
    return entry.data
  }

  protected abstract values (): Value[]

  async get () {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator }
  }

  reset (): void {
    this.series.clear()
  }
}

export class CounterSeries {
  value = 0
  inc (by = 1): void {
    this.value += by
  }
}

export class BoundCounter extends BoundMetric<CounterSeries> {
  readonly type = 'counter'

  labels (labels: Labels): CounterSeries {
    return this.resolve(labels, () => new CounterSeries())
  }

  protected values (): Value[] {
    return [...this.series.values()].map(({ labels, data }) => ({ labels, value: data.value }))
  }
}

export class HistogramSeries {
  readonly counts: Float64Array
  sum = 0
  count = 0
  private readonly bounds: readonly number[]

  constructor (bounds: readonly number[]) {
    this.bounds = bounds
    this.counts = new Float64Array(bounds.length)
  }

  observe (value: number): void {
    const bounds = this.bounds
    let i = 0
    while (i < bounds.length && value > bounds[i]) i++
    if (i < bounds.length) this.counts[i]++
    this.sum += value
    this.count++
  }
}

export class BoundHistogram extends BoundMetric<HistogramSeries> {
  readonly type = 'histogram'
  private readonly bounds: readonly number[]

  constructor (registry: Registry, name: string, help: string, buckets: readonly number[]) {
    super(registry, name, help)
    this.bounds = [...buckets].sort((a, b) => a - b)
  }

  labels (labels: Labels): HistogramSeries {
    return this.resolve(labels, () => new HistogramSeries(this.bounds))
  }

  /** Cumulative buckets, +Inf, sum and count, as the Prometheus text format wants them. */
  protected values (): Value[] {
    return [...this.series.values()].flatMap(({ labels, data }) => {
      let cumulative = 0
      const buckets = this.bounds.map((le, i) => {
        cumulative += data.counts[i]
        return { labels: { ...labels, le: String(le) }, value: cumulative, metricName: `${this.name}_bucket` }
      })
      return [
        ...buckets,
        { labels: { ...labels, le: '+Inf' }, value: data.count, metricName: `${this.name}_bucket` },
        { labels, value: data.sum, metricName: `${this.name}_sum` },
        { labels, value: data.count, metricName: `${this.name}_count` }
      ]
    })
  }
}
