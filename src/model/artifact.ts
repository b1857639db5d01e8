/**
 * The model artifact written by `npm run train` and read by the server.
 * Format "ml-api/random-forest", version 1. Field names are snake_case because
 * the file is a public, language-neutral contract.
 */
export const ARTIFACT_FORMAT = 'ml-api/random-forest'
export const ARTIFACT_VERSION = 1

export interface SplitNode {
  feature: number
  threshold: number
  left: number
  right: number
}

export interface LeafNode {
  value: number[]
}

export type TreeNode = SplitNode | LeafNode

/** One decision tree in pre-order: node 0 is the root, children always follow their parent. */
export interface TreeJson {
  nodes: TreeNode[]
}

export interface FeatureInfo {
  name: string
  min: number
  max: number
}

export interface Hyperparameters {
  n_estimators: number
  max_features: number
  max_depth: number
  min_samples: number
  seed: number
}

export interface ClassMetrics {
  precision: number
  recall: number
  f1: number
  support: number
}

export interface ModelMetrics {
  holdout_accuracy: number
  cv_accuracy_mean: number
  cv_accuracy_std: number
  cv_folds: number
  test_size: number
  train_rows: number
  test_rows: number
  per_class: Record<string, ClassMetrics>
  confusion_matrix: number[][]
}

export interface ModelArtifact {
  format: typeof ARTIFACT_FORMAT
  version: typeof ARTIFACT_VERSION
  model: { name: string, version: string, algorithm: string, dataset: string }
  features: FeatureInfo[]
  classes: string[]
  hyperparameters: Hyperparameters
  metrics: ModelMetrics
  training_data: { rows: number, sha256: string }
  trained_with: Record<string, string>
  forest: { trees: TreeJson[] }
}

export function isLeaf (node: TreeNode): node is LeafNode {
  return 'value' in node
}
