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

/** Told of every prediction (the metrics). */
export interface PredictionObserver {
  observePrediction (matrix: Float64Array, predictions: Predictions): void
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
    const nFeatures = this.featureNames.length
    const matrix = new Float64Array(rows.length * nFeatures)
    rows.forEach((row, r) => {
      const base = r * nFeatures
      if (Array.isArray(row)) {
        matrix.set(row as readonly number[], base)
      } else {
        const named = row as Readonly<Record<string, number>>
        for (let j = 0; j < nFeatures; j++) matrix[base + j] = named[this.featureNames[j]]
      }
    })
    return matrix
  }

  /** Predicts `rows` rows held row-major in `matrix`. */
  predict (matrix: Float64Array, rows: number): Predictions {
    const { forest } = this.model
    const start = performance.now()
    const probabilities = new Float64Array(rows * forest.nClasses)
    forest.predictProba(matrix, rows, probabilities)
    const classIndices = new Int32Array(rows)
    for (let r = 0; r < rows; r++) classIndices[r] = forest.argmax(probabilities, r)
    const predictions = { rows, probabilities, classIndices, elapsedMs: performance.now() - start }
    this.observer?.observePrediction(matrix, predictions)
    return predictions
  }

  /** The probabilities of row `row` keyed by class name. */
  probabilitiesOf (predictions: Predictions, row: number): Record<string, number> {
    const result: Record<string, number> = {}
    const base = row * this.classes.length
    this.classes.forEach((name, c) => { result[name] = predictions.probabilities[base + c] })
    return result
  }
}
