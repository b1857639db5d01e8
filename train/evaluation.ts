import type { ClassMetrics } from '../src/model/artifact.js'

export function accuracy (actual: readonly number[], predicted: readonly number[]): number {
  const correct = actual.filter((label, i) => label === predicted[i]).length
  return correct / actual.length
}

/** matrix[actual][predicted] = count */
export function confusionMatrix (actual: readonly number[], predicted: readonly number[], nClasses: number): number[][] {
  const matrix = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0))
  actual.forEach((label, i) => { matrix[label][predicted[i]]++ })
  return matrix
}

export function perClassMetrics (matrix: number[][], classes: readonly string[]): Record<string, ClassMetrics> {
  const result: Record<string, ClassMetrics> = {}
  classes.forEach((name, c) => {
    const truePositives = matrix[c][c]
    const support = matrix[c].reduce((a, b) => a + b, 0)
    const predictedAsC = matrix.reduce((sum, row) => sum + row[c], 0)
    const precision = predictedAsC === 0 ? 0 : truePositives / predictedAsC
    const recall = support === 0 ? 0 : truePositives / support
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
    result[name] = { precision, recall, f1, support }
  })
  return result
}

/** Mean and population standard deviation (as scikit-learn's cross_val_score(...).std()). */
export function meanStd (values: readonly number[]): { mean: number, std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length
  return { mean, std: Math.sqrt(variance) }
}
