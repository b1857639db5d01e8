import fc from 'fast-check'
import type { RandomForestClassifier } from 'ml-random-forest'
import t, { type Test } from 'tap'
import type { Hyperparameters } from '../../src/model/artifact.js'
import { CompiledForest } from '../../src/model/compiled-forest.js'
import { loadIris } from '../../train/dataset.js'
import { exportTrees, fitForest } from '../../train/forest.js'

/*
 * Equivalence of the compiled forest with ml-random-forest.
 *
 * 1. Probabilities: the compiled forest's class probabilities equal the mean of the library's own
 *    per-tree leaf distributions (walked with ml-cart's classify) to 1e-12, on every row.
 * 2. Classes: the server answers the soft vote (argmax of those probabilities, lowest class on a tie);
 *    the library's predict is a hard vote (the mode of the trees' argmax, first class to reach the top
 *    count on a tie). They may differ only on a tie or near-tie: the rule tested here is that the
 *    hard winner got at most max(1, 10 % of the trees) more votes than the soft winner. Such rows are counted.
 */

interface CartTree { root: { classify (row: number[]): { getRow (i: number): number[] } } }

const dataset = loadIris()
const SETTINGS: Hyperparameters[] = [
  { n_estimators: 25, max_features: 1, max_depth: 3, min_samples: 5, seed: 42 }, // the training defaults
  { n_estimators: 100, max_features: 0.5, max_depth: 10, min_samples: 1, seed: 7 }, // deep trees, two columns each
  { n_estimators: 4, max_features: 1, max_depth: 2, min_samples: 20, seed: 3 } // few shallow trees: many exact ties
]

function libraryLeafMean (forest: RandomForestClassifier, row: number[]): number[] {
  const estimators = forest.estimators as unknown as CartTree[]
  const mean = [0, 0, 0]
  estimators.forEach((tree, t) => {
    const leaf = tree.root.classify((forest.indexes?.[t] ?? []).map((column) => row[column])).getRow(0)
    const total = leaf.reduce((a, b) => a + b, 0)
    leaf.forEach((p, c) => { mean[c] += p / total / estimators.length })
  })
  return mean
}

function compare (t: Test, forest: RandomForestClassifier, compiled: CompiledForest, rows: number[][]): number {
  const proba = new Float64Array(rows.length * 3)
  compiled.predictProba(rows.flat(), rows.length, proba)
  const hard = forest.predict(rows)
  const votes = forest.predictionValues(rows)
  const tolerance = Math.max(1, Math.floor(0.1 * compiled.nTrees))
  let differing = 0
  let failures = 0
  rows.forEach((row, r) => {
    const p = Array.from(proba.subarray(r * 3, r * 3 + 3))
    const expected = libraryLeafMean(forest, row)
    const sum = p.reduce((a, b) => a + b, 0)
    if (!p.every(Number.isFinite) || Math.abs(sum - 1) > 1e-9 || p.some((v, c) => Math.abs(v - expected[c]) > 1e-12)) {
      if (failures++ < 3) t.fail(`probabilities of ${JSON.stringify(row)}: ${p} vs library ${expected}`)
    }
    const soft = compiled.argmax(proba, r)
    if (soft !== hard[r]) {
      differing++
      const count = [0, 0, 0]
      for (const vote of votes.getRow(r)) count[vote]++
      if (count[hard[r]] - count[soft] > tolerance && failures++ < 3) {
        t.fail(`${JSON.stringify(row)}: soft vote ${soft} (${count[soft]} votes) vs hard vote ${hard[r]} (${count[hard[r]]} votes) is not a near-tie`)
      }
    }
  })
  t.equal(failures, 0, `${rows.length} rows: probabilities equal the library's leaf means; class differences only on near-ties`)
  return differing
}

const ranges = dataset.featureNames.map((_, j) => {
  const column = dataset.features.map((row) => row[j])
  return { min: Math.min(...column), max: Math.max(...column) }
})
/** A feature value inside its training range, just outside it, or far outside (including negatives). */
const featureValue = (j: number) => {
  const { min, max } = ranges[j]
  const span = max - min
  return fc.oneof(
    fc.double({ min, max, noNaN: true }),
    fc.double({ min: min - span, max: max + span, noNaN: true }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.constantFrom(min, max, 0, -0)
  )
}
const row = fc.tuple(featureValue(0), featureValue(1), featureValue(2), featureValue(3))

for (const hp of SETTINGS) {
  t.test(`${hp.n_estimators} trees, max_features ${hp.max_features}, max_depth ${hp.max_depth}, min_samples ${hp.min_samples}`, async (t) => {
    const forest = fitForest(dataset.features, dataset.labels, hp)
    const compiled = new CompiledForest(exportTrees(forest, 3), 4, 3)

    const onDataset = compare(t, forest, compiled, dataset.features)
    t.comment(`data set rows where soft and hard vote differ (near-ties): ${onDataset} of 150`)

    let differing = 0
    let rows = 0
    fc.assert(fc.property(fc.array(row, { minLength: 1000, maxLength: 1000 }), (batch) => {
      rows += batch.length
      differing += compare(t, forest, compiled, batch)
    }), { numRuns: 100, seed: hp.seed })
    t.equal(rows, 100_000)
    t.comment(`random rows where soft and hard vote differ (near-ties): ${differing} of ${rows}`)
  })
}

t.test('single rows and batches give the same answers', async (t) => {
  const forest = fitForest(dataset.features, dataset.labels, SETTINGS[0])
  const compiled = new CompiledForest(exportTrees(forest, 3), 4, 3)
  const batch = new Float64Array(150 * 3)
  compiled.predictProba(dataset.features.flat(), 150, batch)
  const one = new Float64Array(3)
  dataset.features.forEach((features, r) => {
    compiled.predictProba(features, 1, one)
    if (one.some((p, c) => p !== batch[r * 3 + c])) t.fail(`row ${r}`)
  })
  t.pass('150 single-row predictions equal the batch')
})

t.test('argmax prefers the lowest class on a tie; a unanimous vote is exactly 1', async (t) => {
  const compiled = new CompiledForest([{ nodes: [{ value: [0.5, 0.5] }] }], 1, 2)
  const proba = new Float64Array(2)
  compiled.predictProba([3], 1, proba)
  t.same(Array.from(proba), [0.5, 0.5])
  t.equal(compiled.argmax(proba, 0), 0)
})

t.test('only in-range integers and finite numbers reach the generated code', async (t) => {
  const leaf = { value: [1, 0] }
  t.throws(() => new CompiledForest([{ nodes: [{ feature: 0, threshold: Infinity, left: 1, right: 2 }, leaf, leaf] }], 1, 2), /non-finite/)
  t.throws(() => new CompiledForest([{ nodes: [{ feature: 0, threshold: 1, left: 1, right: 2 }, { value: [NaN, 1] }, leaf] }], 1, 2), /non-finite/)
  t.throws(() => new CompiledForest([{ nodes: [{ feature: 1, threshold: 1, left: 1, right: 2 }, leaf, leaf] }], 1, 2), /unknown feature 1/)
  t.throws(() => new CompiledForest([{ nodes: [{ feature: '0;process.exit()' as unknown as number, threshold: 1, left: 1, right: 2 }, leaf, leaf] }], 1, 2), /unknown feature/)
  t.throws(() => new CompiledForest([{ nodes: [{ feature: 0, threshold: 1, left: 0, right: 2 }, leaf, leaf] }], 1, 2), /does not follow/)
  t.throws(() => new CompiledForest([{ nodes: [{ feature: 0, threshold: 1, left: 1, right: 5 }, leaf] }], 1, 2), /node 5 does not exist/)
  t.throws(() => new CompiledForest([], 0, 2), /at least one feature/)
})

t.test('large forests are split over several generated functions with the same result', async (t) => {
  const forest = fitForest(dataset.features, dataset.labels, { n_estimators: 300, max_features: 1, max_depth: 10, min_samples: 1, seed: 5 })
  const trees = exportTrees(forest, 3)
  t.ok(trees.reduce((n, tree) => n + tree.nodes.length, 0) > 4000, 'more nodes than one function holds')
  const compiled = new CompiledForest(trees, 4, 3)
  const proba = new Float64Array(150 * 3)
  compiled.predictProba(dataset.features.flat(), 150, proba)
  let failures = 0
  dataset.features.forEach((row, r) => {
    const expected = libraryLeafMean(forest, row)
    if (expected.some((p, c) => Math.abs(p - proba[r * 3 + c]) > 1e-12)) failures++
  })
  t.equal(failures, 0)
})
