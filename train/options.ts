import { parseArgs } from 'node:util'
import type { TrainingConfig } from './pipeline.js'
import { parseInteger } from '../src/parse-integer.js'

export interface CliOptions extends TrainingConfig {
  output: string
}

/** Each option: its flag, the environment variable read when the flag is absent, and its default. */
const OPTIONS = {
  trees: { env: 'TRAIN_TREES', default: '25', help: 'number of trees' },
  'max-features': { env: 'TRAIN_MAX_FEATURES', default: '1', help: 'fraction of the features each tree samples (with replacement), in (0, 1]' },
  'max-depth': { env: 'TRAIN_MAX_DEPTH', default: '3', help: 'maximum depth of a tree' },
  'min-samples': { env: 'TRAIN_MIN_SAMPLES', default: '5', help: 'a node with this many rows or fewer becomes a leaf' },
  seed: { env: 'TRAIN_SEED', default: '42', help: 'seed of the split, the folds and the forest' },
  'test-size': { env: 'TRAIN_TEST_SIZE', default: '0.2', help: 'fraction of each class held out for the hold-out score' },
  folds: { env: 'TRAIN_FOLDS', default: '5', help: 'number of cross-validation folds' },
  'model-version': { env: 'MODEL_VERSION', default: '1', help: 'version recorded in the artifact' },
  output: { env: 'MODEL_PATH', default: 'models/iris-rf.json', help: 'where the artifact is written' }
} as const

type OptionName = keyof typeof OPTIONS

export class UsageError extends Error {
  override name = 'UsageError'
}

export function usage (): string {
  const lines = Object.entries(OPTIONS).map(([flag, o]) =>
    `  --${flag.padEnd(14)} ${o.help} (env ${o.env}, default ${o.default})`)
  return ['Usage: npm run train -- [options]', '', ...lines, '  --help          show this help'].join('\n')
}

function integer (name: OptionName, value: string, min: number, max: number): number {
  const n = parseInteger(value, min, max)
  if (n === undefined) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`)
  return n
}

function fraction (name: OptionName, value: string, includeOne: boolean): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1 || (!includeOne && n === 1)) {
    throw new UsageError(`--${name} must be a number in (0, 1${includeOne ? ']' : ')'}, got "${value}"`)
  }
  return n
}

/** Parses flags, falling back to environment variables and then to the defaults. Throws UsageError. */
export function parseTrainOptions (argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        help: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(OPTIONS).map((flag) => [flag, { type: 'string' }]))
      }
    }).values
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help === true) return 'help'
  const get = (name: OptionName): string => {
    const flag = values[name]
    return typeof flag === 'string' ? flag : env[OPTIONS[name].env] ?? OPTIONS[name].default
  }
  const modelVersion = get('model-version')
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(modelVersion)) {
    throw new UsageError(`--model-version must be letters, digits, "_", "." or "-", got "${modelVersion}"`)
  }
  return {
    hyperparameters: {
      n_estimators: integer('trees', get('trees'), 1, 5000),
      max_features: fraction('max-features', get('max-features'), true),
      max_depth: integer('max-depth', get('max-depth'), 1, 64),
      min_samples: integer('min-samples', get('min-samples'), 1, 1000),
      seed: integer('seed', get('seed'), 0, 2 ** 31 - 1)
    },
    testSize: fraction('test-size', get('test-size'), false),
    folds: integer('folds', get('folds'), 2, 50),
    modelName: 'iris',
    modelVersion,
    output: get('output')
  }
}
