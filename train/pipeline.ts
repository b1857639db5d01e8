import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, type Hyperparameters, type ModelArtifact } from '../src/model/artifact.js'
import { type Dataset, datasetSha256, featureRanges } from './dataset.js'
import { accuracy, confusionMatrix, meanStd, perClassMetrics } from './evaluation.js'
import { exportTrees, fitForest, predictClasses } from './forest.js'
import { stratifiedKFold, stratifiedSplit } from './split.js'

export interface TrainingConfig {
  hyperparameters: Hyperparameters
  testSize: number
  folds: number
  modelName: string
  modelVersion: string
}

/** Called before each forest is fitted: `built` trees so far out of `total` in the whole run. */
export type ProgressListener = (stage: string, built: number, total: number) => void

export interface TrainingResult {
  artifact: ModelArtifact
  foldAccuracies: number[]
}

const TRAINED_WITH = ['ml-random-forest', 'ml-cart']

/** A package's version from its package.json, found above its entry point (some packages export no ./package.json). */
function packageVersion (name: string): string {
  for (let dir = dirname(createRequire(import.meta.url).resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string, version: string }
    if (pkg.name === name) return pkg.version
  }
  throw new Error(`no package.json of ${name}`)
}

function libraryVersions (dataset: Dataset): Record<string, string> {
  const names = dataset.package === undefined ? TRAINED_WITH : [...TRAINED_WITH, dataset.package]
  return Object.fromEntries(names.map((name) => [name, packageVersion(name)]))
}

function pick<T> (items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => items[i])
}

/** Accuracy of a forest trained on `train` rows and scored on `test` rows. */
function holdOut (dataset: Dataset, train: number[], test: number[], hp: Hyperparameters) {
  const forest = fitForest(pick(dataset.features, train), pick(dataset.labels, train), hp)
  const trees = exportTrees(forest, dataset.classes.length)
  const actual = pick(dataset.labels, test)
  const predicted = predictClasses(trees, dataset.classes.length, pick(dataset.features, test))
  return { trees, actual, predicted, accuracy: accuracy(actual, predicted) }
}

/** Cross-validated accuracy of each of `folds` stratified folds over the whole data set. */
export function crossValidate (dataset: Dataset, hp: Hyperparameters, folds: number, onFold?: (fold: number) => void): number[] {
  const all = dataset.labels.map((_, i) => i)
  return stratifiedKFold(dataset.labels, folds, hp.seed).map((test, fold) => {
    onFold?.(fold)
    const inTest = new Set(test)
    return holdOut(dataset, all.filter((i) => !inTest.has(i)), test, hp).accuracy
  })
}

/**
 * Splits, trains the served model on the training split, scores it on the hold-out split, then
 * cross-validates the same hyperparameters on all rows. The artifact holds the hold-out model.
 */
export function runTraining (dataset: Dataset, config: TrainingConfig, onProgress: ProgressListener = () => {}): TrainingResult {
  const hp = config.hyperparameters
  const total = hp.n_estimators * (config.folds + 1)
  const { train, test } = stratifiedSplit(dataset.labels, config.testSize, hp.seed)

  onProgress('hold-out model', 0, total)
  const model = holdOut(dataset, train, test, hp)
  const foldAccuracies = crossValidate(dataset, hp, config.folds, (fold) => {
    onProgress(`cross-validation fold ${fold + 1}/${config.folds}`, hp.n_estimators * (fold + 1), total)
  })
  onProgress('done', total, total)

  const matrix = confusionMatrix(model.actual, model.predicted, dataset.classes.length)
  const cv = meanStd(foldAccuracies)
  const artifact: ModelArtifact = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    model: { name: config.modelName, version: config.modelVersion, algorithm: 'Random Forest Classifier', dataset: dataset.name },
    features: featureRanges(pick(dataset.features, train), dataset.featureNames),
    classes: dataset.classes,
    hyperparameters: hp,
    metrics: {
      holdout_accuracy: model.accuracy,
      cv_accuracy_mean: cv.mean,
      cv_accuracy_std: cv.std,
      cv_folds: config.folds,
      test_size: config.testSize,
      train_rows: train.length,
      test_rows: test.length,
      per_class: perClassMetrics(matrix, dataset.classes),
      confusion_matrix: matrix
    },
    training_data: { rows: dataset.labels.length, sha256: datasetSha256(dataset) },
    trained_with: libraryVersions(dataset),
    forest: { trees: model.trees }
  }
  return { artifact, foldAccuracies }
}

/** The artifact's bytes: compact JSON, key order fixed by construction, no timestamps, so a run is reproducible. */
export function serializeArtifact (artifact: ModelArtifact): string {
  return `${JSON.stringify(artifact)}\n`
}
