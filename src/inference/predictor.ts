import type { LoadedModel } from '../model/load-model.js'

/** A row as the API accepts it: values in feature order, or an object keyed by feature name. */
export type RowInput = readonly number[] | Readonly<Record<string, number>>

export interface Predictions {
  rows: number
  /** Row-major class probabilities, `rows * classes.length`. */
  probabilities: Float64Array
  /** The most probable class of each row. */
  classIndices: Int32Array
  /** Wall time of the inference alone, in milliseconds. */
  elapsedMs: number
}

/** Told of every prediction (the metrics), synchronously. */
export interface PredictionObserver {
  observePrediction (matrix: Float64Array, predictions: Predictions): void
}

/**
 * performance.now() counts nanoseconds, but the difference of two readings carries float error that
 * answers would show as 0.06499600000006467 ms; rounded, it prints as 0.064996.
 */
function toWholeNanoseconds (ms: number): number {
  return Math.round(ms * 1e6) / 1e6
}

/** Runs the loaded model on rows that the route schemas have already validated. */
export class Predictor {
  readonly name: string
  readonly version: string
  readonly classes: readonly string[]
  readonly featureNames: readonly string[]
  readonly model: LoadedModel
  private readonly observer: PredictionObserver | undefined

  constructor (model: LoadedModel, observer?: PredictionObserver) {
    this.model = model
    this.observer = observer
    this.name = model.artifact.model.name
    this.version = model.artifact.model.version
    this.classes = model.artifact.classes
    this.featureNames = model.artifact.features.map((f) => f.name)
  }

  /** Flattens rows (arrays or objects keyed by feature name) into one row-major buffer. */
  toMatrix (rows: readonly RowInput[]): Float64Array {
    const matrix = new Float64Array(rows.length * this.featureNames.length)
    for (let r = 0; r < rows.length; r++) this.writeRow(rows[r], matrix, r * this.featureNames.length)
    return matrix
  }

  private writeRow (row: RowInput, matrix: Float64Array, offset: number): void {
    if (Array.isArray(row)) {
      matrix.set(row as readonly number[], offset)
    } else {
      const named = row as Readonly<Record<string, number>>
      for (let j = 0; j < this.featureNames.length; j++) matrix[offset + j] = named[this.featureNames[j]]
    }
  }

  /** Predicts `rows` rows held row-major in `matrix`, times it, and tells the observer. */
  predict (matrix: Float64Array, rows: number): Predictions {
    const { forest } = this.model
    const predictions: Predictions = { rows, probabilities: new Float64Array(rows * forest.nClasses), classIndices: new Int32Array(rows), elapsedMs: 0 }
    const start = performance.now()
    forest.predictProba(matrix, predictions.rows, predictions.probabilities)
    for (let r = 0; r < predictions.rows; r++) predictions.classIndices[r] = forest.argmax(predictions.probabilities, r)
    predictions.elapsedMs = toWholeNanoseconds(performance.now() - start)
    this.observer?.observePrediction(matrix, predictions)
    return predictions
  }
}
