import { RandomForestClassifier } from 'ml-random-forest'
import type { Hyperparameters, TreeJson, TreeNode } from '../src/model/artifact.js'
import { CompiledForest } from '../src/model/compiled-forest.js'

/** The shape of a trained ml-cart node once serialised (its Matrix distribution becomes [[...]]). */
interface CartNode {
  splitColumn?: number
  splitValue?: number
  left?: CartNode
  right?: CartNode
  distribution?: number[][]
}

/**
 * Trains ml-random-forest. Out-of-bag scoring is off: it is not used (we cross-validate), and with
 * very few trees the library throws while collecting out-of-bag samples.
 */
export function fitForest (features: number[][], labels: number[], hp: Hyperparameters): RandomForestClassifier {
  const forest = new RandomForestClassifier({
    nEstimators: hp.n_estimators,
    maxFeatures: hp.max_features,
    seed: hp.seed,
    replacement: true,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: hp.max_depth, minNumSamples: hp.min_samples }
  })
  forest.train(features, labels)
  return forest
}

/**
 * Converts the library's trees to the artifact format. Each tree was trained on its own sampled
 * columns (`indexes[t]`, which may repeat a column), so split columns are mapped back to features.
 */
export function exportTrees (forest: RandomForestClassifier, nClasses: number): TreeJson[] {
  const model = JSON.parse(JSON.stringify(forest)) as {
    baseModel: { indexes: number[][], estimators: { root: CartNode }[] }
  }
  const { indexes, estimators } = model.baseModel
  return estimators.map((estimator, t) => {
    const nodes: TreeNode[] = []
    const visit = (node: CartNode): number => {
      const id = nodes.length
      if (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
        const split = { feature: indexes[t][node.splitColumn], threshold: node.splitValue, left: 0, right: 0 }
        nodes.push(split)
        split.left = visit(node.left)
        split.right = visit(node.right)
      } else {
        // ml-cart sums 1/n per row, so a pure leaf holds 1.0000000000000009: normalise to true probabilities.
        const distribution = node.distribution?.[0] ?? []
        const total = distribution.reduce((a, b) => a + b, 0)
        nodes.push({ value: Array.from({ length: nClasses }, (_, c) => (distribution[c] ?? 0) / total) })
      }
      return id
    }
    visit(estimator.root)
    return { nodes }
  })
}

/** Soft-vote class predictions of exported trees, through the same compiled forest the server uses. */
export function predictClasses (trees: TreeJson[], nClasses: number, rows: number[][]): number[] {
  const nFeatures = rows[0]?.length ?? 0
  const forest = new CompiledForest(trees, nFeatures, nClasses)
  const proba = new Float64Array(rows.length * nClasses)
  forest.predictProba(rows.flat(), rows.length, proba)
  return rows.map((_, r) => forest.argmax(proba, r))
}
