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

/** Told of every prediction (the metrics), synchronously: the arrays may be reused once it returns. */
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
  /** predictOne's input and output, reused. */
  private readonly oneRow: Float64Array
  private readonly onePrediction: Predictions

  constructor (model: LoadedModel, observer?: PredictionObserver) {
    this.model = model
    this.observer = observer
    this.name = model.artifact.model.name
    this.version = model.artifact.model.version
    this.classes = model.artifact.classes
    this.featureNames = model.artifact.features.map((f) => f.name)
    this.oneRow = new Float64Array(this.featureNames.length)
    this.onePrediction = { rows: 1, probabilities: new Float64Array(model.forest.nClasses), classIndices: new Int32Array(1), elapsedMs: 0 }
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

  /**
   * Predicts one row: the same answer as `predict` on a one-row matrix, in arrays that the next call
   * overwrites (a one-row request then allocates none).
   */
  predictOne (row: RowInput): Predictions {
    this.writeRow(row, this.oneRow, 0)
    return this.predictInto(this.oneRow, this.onePrediction)
  }

  /** Predicts `rows` rows held row-major in `matrix`. */
  predict (matrix: Float64Array, rows: number): Predictions {
    const probabilities = new Float64Array(rows * this.model.forest.nClasses)
    return this.predictInto(matrix, { rows, probabilities, classIndices: new Int32Array(rows), elapsedMs: 0 })
  }

  /** Runs the model on `matrix` into the arrays of `predictions`, times it, and tells the observer. */
  private predictInto (matrix: Float64Array, predictions: Predictions): Predictions {
    const { forest } = this.model
    const start = performance.now()
    forest.predictProba(matrix, predictions.rows, predictions.probabilities)
    for (let r = 0; r < predictions.rows; r++) predictions.classIndices[r] = forest.argmax(predictions.probabilities, r)
    predictions.elapsedMs = toWholeNanoseconds(performance.now() - start)
    this.observer?.observePrediction(matrix, predictions)
    return predictions
  }
}
