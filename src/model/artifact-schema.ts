import { ARTIFACT_FORMAT } from './artifact.js'

const nonNegativeInteger = { type: 'integer', minimum: 0 } as const
const probability = { type: 'number', minimum: 0, maximum: 1 } as const
const name = { type: 'string', minLength: 1, maxLength: 128 } as const

const splitNode = {
  type: 'object',
  additionalProperties: false,
  required: ['feature', 'threshold', 'left', 'right'],
  properties: {
    feature: nonNegativeInteger,
    threshold: { type: 'number' },
    left: { type: 'integer', minimum: 1 },
    right: { type: 'integer', minimum: 1 }
  }
} as const

const leafNode = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  properties: { value: { type: 'array', minItems: 2, items: probability } }
} as const

/**
 * JSON schema of the artifact. The `version` is checked before this schema runs
 * (so an unknown version gets its own message); structural rules that JSON
 * schema cannot express (indices in range, value lengths) live in the loader.
 */
export const artifactSchema = {
  $id: 'ml-api/random-forest/v1',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'model', 'features', 'classes', 'hyperparameters', 'metrics',
    'training_data', 'trained_with', 'forest'],
  properties: {
    format: { const: ARTIFACT_FORMAT },
    version: { const: 1 },
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version', 'algorithm', 'dataset'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,62}$' },
        version: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' },
        algorithm: name,
        dataset: name
      }
    },
    features: {
      type: 'array',
      minItems: 1,
      maxItems: 1024,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'min', 'max'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
          min: { type: 'number' },
          max: { type: 'number' }
        }
      }
    },
    classes: { type: 'array', minItems: 2, maxItems: 1024, uniqueItems: true, items: name },
    hyperparameters: {
      type: 'object',
      additionalProperties: false,
      required: ['n_estimators', 'max_features', 'max_depth', 'min_samples', 'seed'],
      properties: {
        n_estimators: { type: 'integer', minimum: 1 },
        max_features: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        max_depth: { type: 'integer', minimum: 1 },
        min_samples: { type: 'integer', minimum: 1 },
        seed: { type: 'integer' }
      }
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      required: ['holdout_accuracy', 'cv_accuracy_mean', 'cv_accuracy_std', 'cv_folds', 'test_size',
        'train_rows', 'test_rows', 'per_class', 'confusion_matrix'],
      properties: {
        holdout_accuracy: probability,
        cv_accuracy_mean: probability,
        cv_accuracy_std: probability,
        cv_folds: { type: 'integer', minimum: 2 },
        test_size: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        train_rows: nonNegativeInteger,
        test_rows: nonNegativeInteger,
        per_class: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['precision', 'recall', 'f1', 'support'],
            properties: { precision: probability, recall: probability, f1: probability, support: nonNegativeInteger }
          }
        },
        confusion_matrix: { type: 'array', items: { type: 'array', items: nonNegativeInteger } }
      }
    },
    training_data: {
      type: 'object',
      additionalProperties: false,
      required: ['rows', 'sha256'],
      properties: { rows: nonNegativeInteger, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } }
    },
    trained_with: { type: 'object', additionalProperties: { type: 'string' } },
    forest: {
      type: 'object',
      additionalProperties: false,
      required: ['trees'],
      properties: {
        trees: {
          type: 'array',
          minItems: 1,
          maxItems: 10000,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['nodes'],
            properties: {
              nodes: { type: 'array', minItems: 1, items: { type: 'object', if: { properties: { value: true }, required: ['value'] }, then: leafNode, else: splitNode } }
            }
          }
        }
      }
    }
  }
} as const
