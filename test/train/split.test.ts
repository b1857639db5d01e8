import t from 'tap'
import { loadIris } from '../../train/dataset.js'
import { stratifiedKFold, stratifiedSplit } from '../../train/split.js'

const { labels } = loadIris()
const countByClass = (indices: number[]): number[] =>
  [0, 1, 2].map((c) => indices.filter((i) => labels[i] === c).length)

t.test('the 80/20 split holds out 20 % of every class', async (t) => {
  const { train, test } = stratifiedSplit(labels, 0.2, 42)
  t.same(countByClass(test), [10, 10, 10])
  t.same(countByClass(train), [40, 40, 40])
  t.same([...train, ...test].sort((a, b) => a - b), labels.map((_, i) => i), 'disjoint and complete')
})

t.test('the split is a function of the seed', async (t) => {
  t.same(stratifiedSplit(labels, 0.2, 42), stratifiedSplit(labels, 0.2, 42))
  t.not(JSON.stringify(stratifiedSplit(labels, 0.2, 42).test), JSON.stringify(stratifiedSplit(labels, 0.2, 7).test))
})

t.test('uneven classes are rounded per class', async (t) => {
  const skewed = [...new Array(7).fill(0), ...new Array(3).fill(1)]
  const { test } = stratifiedSplit(skewed, 0.3, 1)
  t.same([0, 1].map((c) => test.filter((i) => skewed[i] === c).length), [2, 1])
})

t.test('5-fold cross-validation partitions every row once, each fold stratified', async (t) => {
  const folds = stratifiedKFold(labels, 5, 42)
  t.equal(folds.length, 5)
  t.same(folds.flat().sort((a, b) => a - b), labels.map((_, i) => i))
  for (const fold of folds) t.same(countByClass(fold), [10, 10, 10])
  t.same(stratifiedKFold(labels, 5, 42), folds, 'deterministic')
})
