import { Gauge, type Registry } from 'prom-client'
import { BoundCounter, BoundHistogram, type CounterSeries, type HistogramSeries } from './bound-metrics.js'
import type { Predictions } from '../inference/predictor.js'
import type { LoadedModel } from '../model/load-model.js'

/** Every value of ml_errors_total's `type` label; each starts at 0. */
export const ERROR_TYPES = [
  'validation', 'malformed_json', 'unsupported_media_type', 'body_too_large', 'batch_too_large',
  'not_found', 'model_not_found', 'method_not_allowed', 'unauthorized', 'shed', 'internal'
] as const
export type ErrorType = typeof ERROR_TYPES[number]

/** under-pressure's reasons for shedding. */
export const SHED_REASONS = ['eventLoopDelay', 'eventLoopUtilization', 'heapUsedBytes', 'rssBytes'] as const

/** Sub-millisecond resolution: this server answers in tens of microseconds, up to seconds when overloaded. */
const HTTP_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const INFERENCE_BUCKETS = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1]
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]

interface RequestSeries { count: CounterSeries, duration: HistogramSeries }

/**
 * The server's own metrics. Every series is resolved once (per class, feature, error type, route and
 * status), so recording a request is a few additions: see bound-metrics.ts for why.
 */
export class AppMetrics {
  private readonly requests: BoundCounter
  private readonly requestDuration: BoundHistogram
  /** route, then method, then status: the series */
  private readonly requestSeries = new Map<string, Map<string, Map<number, RequestSeries>>>()
  private inFlight = 0
  private readonly errors: BoundCounter
  private readonly errorsByType: Map<string, CounterSeries>
  private readonly shed: BoundCounter
  private readonly inferenceDuration: HistogramSeries
  private readonly batchSize: HistogramSeries
  private readonly predictionsByClass: CounterSeries[]
  private readonly outOfRange: CounterSeries[]
  private readonly minimum: Float64Array
  private readonly maximum: Float64Array
  private readonly classCounts: Float64Array
  /** Ends a request in flight; shared, so nothing is allocated per request. */
  readonly requestEnded = (): void => { this.inFlight-- }

  constructor (registry: Registry, { artifact, sha256 }: LoadedModel) {
    const model = artifact.model.name
    this.requests = new BoundCounter(registry, 'http_requests_total', 'HTTP requests answered, by route pattern')
    this.requestDuration = new BoundHistogram(registry, 'http_request_duration_seconds', 'HTTP request duration, from the request to the end of the response', HTTP_BUCKETS)
    const inFlight = () => this.inFlight
    new Gauge({ name: 'ml_active_requests', help: 'Requests being processed', registers: [registry], collect () { this.set(inFlight()) } })
    this.errors = new BoundCounter(registry, 'ml_errors_total', 'Requests answered with an error, by type')
    this.errorsByType = new Map(ERROR_TYPES.map((type) => [type, this.errors.labels({ type })]))
    this.shed = new BoundCounter(registry, 'ml_shed_requests_total', 'Requests shed with 503 under pressure, by reason')
    for (const reason of SHED_REASONS) this.shed.labels({ reason })

    const predictions = new BoundCounter(registry, 'ml_predictions_total', 'Rows predicted, by predicted class')
    this.predictionsByClass = artifact.classes.map((name) => predictions.labels({ model, class: name }))
    this.inferenceDuration = new BoundHistogram(registry, 'ml_prediction_duration_seconds', 'Time in the model per request (one row or a batch)', INFERENCE_BUCKETS).labels({ model })
    this.batchSize = new BoundHistogram(registry, 'ml_batch_size', 'Rows per prediction request', BATCH_BUCKETS).labels({ model })
    const outOfRange = new BoundCounter(registry, 'ml_input_out_of_range_total', 'Input values outside the feature\'s training range (a drift signal), by feature')
    this.outOfRange = artifact.features.map((f) => outOfRange.labels({ model, feature: f.name }))
    this.minimum = Float64Array.from(artifact.features, (f) => f.min)
    this.maximum = Float64Array.from(artifact.features, (f) => f.max)
    this.classCounts = new Float64Array(artifact.classes.length)

    new Gauge({ name: 'ml_model_accuracy', help: 'Hold-out accuracy of the served model, from its artifact', labelNames: ['model'], registers: [registry] })
      .labels(model).set(artifact.metrics.holdout_accuracy)
    new Gauge({ name: 'ml_model_info', help: 'The served model: always 1', labelNames: ['model', 'version', 'sha256'], registers: [registry] })
      .labels(model, artifact.model.version, sha256).set(1)
  }

  /**
   * A recorder of one route and method, its series started at 0 for each status the route declares
   * (so rate() works from the first scrape). Bound once, when the route is registered.
   */
  routeRecorder (method: string, route: string, statusCodes: readonly number[]): (statusCode: number, seconds: number) => void {
    const byStatus = new Map(statusCodes.map((status) => [status, this.seriesOf(method, route, status)]))
    return (statusCode, seconds) => {
      let series = byStatus.get(statusCode)
      if (series === undefined) byStatus.set(statusCode, series = this.seriesOf(method, route, statusCode))
      series.count.inc()
      series.duration.observe(seconds)
    }
  }

  requestStarted (): void {
    this.inFlight++
  }

  countError (type: ErrorType): void {
    this.errorsByType.get(type)?.inc()
  }

  countShed (reason: string): void {
    this.shed.labels({ reason }).inc()
  }

  /** Rows predicted by class, time in the model, batch size, and inputs outside the training ranges. */
  observePrediction (matrix: Float64Array, predictions: Predictions): void {
    const { rows, classIndices } = predictions
    this.inferenceDuration.observe(predictions.elapsedMs / 1000)
    this.batchSize.observe(rows)
    const counts = this.classCounts
    counts.fill(0)
    for (let r = 0; r < rows; r++) counts[classIndices[r]]++
    for (let c = 0; c < counts.length; c++) if (counts[c] > 0) this.predictionsByClass[c].inc(counts[c])
    const nFeatures = this.minimum.length
    for (let j = 0; j < nFeatures; j++) {
      const min = this.minimum[j]
      const max = this.maximum[j]
      let outside = 0
      for (let i = j; i < matrix.length; i += nFeatures) if (matrix[i] < min || matrix[i] > max) outside++
      if (outside > 0) this.outOfRange[j].inc(outside)
    }
  }

  private seriesOf (method: string, route: string, statusCode: number): RequestSeries {
    let byMethod = this.requestSeries.get(route)
    if (byMethod === undefined) this.requestSeries.set(route, byMethod = new Map())
    let byStatus = byMethod.get(method)
    if (byStatus === undefined) byMethod.set(method, byStatus = new Map())
    let series = byStatus.get(statusCode)
    if (series === undefined) {
      const labels = { method, route, status_code: String(statusCode) }
      series = { count: this.requests.labels(labels), duration: this.requestDuration.labels(labels) }
      byStatus.set(statusCode, series)
    }
    return series
  }
}
