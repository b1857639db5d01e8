import { MersenneTwister19937, shuffle } from 'random-js'

/** Row indices grouped by class, each group shuffled by one seeded generator (classes in index order). */
function shuffledByClass (labels: readonly number[], seed: number): number[][] {
  const engine = MersenneTwister19937.seed(seed)
  const groups: number[][] = []
  labels.forEach((label, i) => { (groups[label] ??= []).push(i) })
  return groups.map((group) => shuffle(engine, group))
}

/**
 * A stratified train/test split: from each class, round(n * testSize) rows go to the test set.
 * Both index lists are sorted so the result does not depend on the order of classes.
 */
export function stratifiedSplit (labels: readonly number[], testSize: number, seed: number): { train: number[], test: number[] } {
  const train: number[] = []
  const test: number[] = []
  for (const group of shuffledByClass(labels, seed)) {
    const nTest = Math.round(group.length * testSize)
    test.push(...group.slice(0, nTest))
    train.push(...group.slice(nTest))
  }
  const ascending = (a: number, b: number): number => a - b
  return { train: train.sort(ascending), test: test.sort(ascending) }
}

/** Stratified k-fold: each class is dealt round-robin into k folds. Returns the test indices of each fold. */
export function stratifiedKFold (labels: readonly number[], k: number, seed: number): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => [])
  let next = 0
  for (const group of shuffledByClass(labels, seed)) {
    for (const index of group) {
      folds[next].push(index)
      next = (next + 1) % k
    }
  }
  return folds.map((fold) => fold.sort((a, b) => a - b))
}
