import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Predictions } from '../inference/predictor.js'
import type { LoadedModel } from '../model/load-model.js'

/** Every value of ml_errors_total's `type` label; each starts at 0. */
export const ERROR_TYPES = [
  'validation', 'malformed_json', 'unsupported_media_type', 'body_too_large', 'batch_too_large',
  'not_found', 'model_not_found', 'method_not_allowed', 'shed', 'internal'
] as const
export type ErrorType = typeof ERROR_TYPES[number]

/** under-pressure's reasons for shedding. */
export const SHED_REASONS = ['eventLoopDelay', 'eventLoopUtilization', 'heapUsedBytes', 'rssBytes'] as const

/** Sub-millisecond resolution: this server answers in tens of microseconds, up to seconds when overloaded. */
const HTTP_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const INFERENCE_BUCKETS = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1]
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]

interface RequestSeries { count: Counter.Internal, duration: Histogram.Internal<string> }

/** The server's own metrics, in one registry. Label children are cached: no label hashing per request. */
export class AppMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status_code'>
  private readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>
  private readonly requestSeries = new Map<string, RequestSeries>()
  private readonly active: Gauge
  private readonly errors: Counter<'type'>
  private readonly shed: Counter<'reason'>
  private readonly inferenceDuration: Histogram.Internal<string>
  private readonly batchSize: Histogram.Internal<string>
  private readonly predictionsByClass: Counter.Internal[]
  private readonly outOfRange: Counter.Internal[]
  private readonly minimum: Float64Array
  private readonly maximum: Float64Array
  private readonly classCounts: Float64Array

  constructor (registry: Registry, { artifact, sha256 }: LoadedModel) {
    const registers = [registry]
    const model = artifact.model.name
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route pattern', labelNames: ['method', 'route', 'status_code'], registers })
    this.requestDuration = new Histogram({
      name: 'http_request_duration_seconds', help: 'HTTP request duration, from the request to the end of the response', labelNames: ['method', 'route', 'status_code'], buckets: HTTP_BUCKETS, registers
    })
    this.active = new Gauge({ name: 'ml_active_requests', help: 'Requests being processed', registers })
    this.errors = new Counter({ name: 'ml_errors_total', help: 'Requests answered with an error, by type', labelNames: ['type'], registers })
    for (const type of ERROR_TYPES) this.errors.labels(type).inc(0)
    this.shed = new Counter({ name: 'ml_shed_requests_total', help: 'Requests shed with 503 under pressure, by reason', labelNames: ['reason'], registers })
    for (const reason of SHED_REASONS) this.shed.labels(reason).inc(0)

    const predictions = new Counter({ name: 'ml_predictions_total', help: 'Rows predicted, by predicted class', labelNames: ['model', 'class'], registers })
    this.predictionsByClass = artifact.classes.map((name) => predictions.labels(model, name))
    for (const child of this.predictionsByClass) child.inc(0)
    this.inferenceDuration = new Histogram({
      name: 'ml_prediction_duration_seconds', help: 'Time in the model per request (one row or a batch)', labelNames: ['model'], buckets: INFERENCE_BUCKETS, registers
    }).labels(model)
    this.batchSize = new Histogram({ name: 'ml_batch_size', help: 'Rows per prediction request', labelNames: ['model'], buckets: BATCH_BUCKETS, registers }).labels(model)
    const outOfRange = new Counter({
      name: 'ml_input_out_of_range_total', help: 'Input values outside the feature\'s training range (a drift signal), by feature', labelNames: ['model', 'feature'], registers
    })
    this.outOfRange = artifact.features.map((f) => outOfRange.labels(model, f.name))
    for (const child of this.outOfRange) child.inc(0)
    this.minimum = Float64Array.from(artifact.features, (f) => f.min)
    this.maximum = Float64Array.from(artifact.features, (f) => f.max)
    this.classCounts = new Float64Array(artifact.classes.length)

    new Gauge({ name: 'ml_model_accuracy', help: 'Hold-out accuracy of the served model, from its artifact', labelNames: ['model'], registers })
      .labels(model).set(artifact.metrics.holdout_accuracy)
    new Gauge({ name: 'ml_model_info', help: 'The served model: always 1', labelNames: ['model', 'version', 'sha256'], registers })
      .labels(model, artifact.model.version, sha256).set(1)
  }

  /** Starts the series of a route at 0 for each status it can answer, so rate() works from the first scrape. */
  declareRoute (method: string, route: string, statusCodes: readonly number[]): void {
    for (const status of statusCodes) this.series(method, route, status)
  }

  observeRequest (method: string, route: string, statusCode: number, seconds: number): void {
    const series = this.series(method, route, statusCode)
    series.count.inc()
    series.duration.observe(seconds)
  }

  requestStarted (): void {
    this.active.inc()
  }

  requestEnded (): void {
    this.active.dec()
  }

  countError (type: ErrorType): void {
    this.errors.labels(type).inc()
  }

  countShed (reason: string): void {
    this.shed.labels(reason).inc()
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

  private series (method: string, route: string, statusCode: number): RequestSeries {
    const key = `${method} ${statusCode} ${route}`
    let series = this.requestSeries.get(key)
    if (series === undefined) {
      const status = String(statusCode)
      series = { count: this.requests.labels(method, route, status), duration: this.requestDuration.labels(method, route, status) }
      series.count.inc(0)
      this.requestSeries.set(key, series)
    }
    return series
  }
}
