import t from 'tap'
import { accuracy, confusionMatrix, meanStd, perClassMetrics } from '../../train/evaluation.js'

t.test('accuracy, confusion matrix and per-class metrics agree on a worked example', async (t) => {
  const actual = [0, 0, 1, 1, 2, 2]
  const predicted = [0, 1, 1, 1, 2, 0]
  t.equal(accuracy(actual, predicted), 4 / 6)
  const matrix = confusionMatrix(actual, predicted, 3)
  t.same(matrix, [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
  const metrics = perClassMetrics(matrix, ['a', 'b', 'c'])
  t.same(metrics.a, { precision: 0.5, recall: 0.5, f1: 0.5, support: 2 })
  t.equal(metrics.b.precision, 2 / 3)
  t.equal(metrics.b.recall, 1)
  t.equal(metrics.b.f1, 0.8)
  t.same(metrics.c, { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 })
})

t.test('a class never predicted has precision 0, not NaN', async (t) => {
  const metrics = perClassMetrics(confusionMatrix([0, 1], [0, 0], 2), ['a', 'b'])
  t.same(metrics.b, { precision: 0, recall: 0, f1: 0, support: 1 })
})

t.test('meanStd is the population standard deviation', async (t) => {
  const { mean, std } = meanStd([0.9, 1, 1, 0.9])
  t.ok(Math.abs(mean - 0.95) < 1e-12 && Math.abs(std - 0.05) < 1e-12, `${mean} ± ${std}`)
  t.same(meanStd([1, 1, 1]), { mean: 1, std: 0 })
})
