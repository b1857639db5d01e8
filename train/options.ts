import { basename, extname } from 'node:path'
import { parseArgs } from 'node:util'
import type { TrainingConfig } from './pipeline.js'
import { parseInteger } from '../src/parse-integer.js'

export interface CliOptions extends TrainingConfig {
  output: string
  /** Train on this file instead of Iris. */
  data?: { path: string, target: string, features?: string[], dropMissing: boolean }
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
  data: { env: 'TRAIN_DATA', default: '', help: 'train on this CSV (with a header row) or JSON array of records instead of Iris' },
  target: { env: 'TRAIN_TARGET', default: '', help: 'with --data: the class column' },
  features: { env: 'TRAIN_FEATURES', default: '', help: 'with --data: the feature columns, comma-separated (default: all but the target)' },
  'drop-missing': { env: 'TRAIN_DROP_MISSING', default: 'false', help: 'with --data: leave out rows with a missing value instead of stopping (true or false)' },
  'model-name': { env: 'MODEL_NAME', default: '', help: 'name of the model in the API (default: iris, or the data file\'s name)' },
  output: { env: 'MODEL_PATH', default: '', help: 'where the artifact is written (default: models/<model name>-rf.json)' }
} as const

type OptionName = keyof typeof OPTIONS

export class UsageError extends Error {
  override name = 'UsageError'
}

export function usage (): string {
  const lines = Object.entries(OPTIONS).map(([flag, o]) =>
    `  --${flag.padEnd(14)} ${o.help} (env ${o.env}${o.default === '' ? '' : `, default ${o.default}`})`)
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
        ...Object.fromEntries(Object.keys(OPTIONS).map((flag) => [flag, { type: flag === 'drop-missing' ? 'boolean' : 'string' }]))
      }
    }).values
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help === true) return 'help'
  const get = (name: OptionName): string => {
    const flag = values[name]
    if (flag === true) return 'true'
    return typeof flag === 'string' ? flag : env[OPTIONS[name].env] ?? OPTIONS[name].default
  }
  const modelVersion = get('model-version')
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(modelVersion)) {
    throw new UsageError(`--model-version must be letters, digits, "_", "." or "-", got "${modelVersion}"`)
  }
  const dataPath = get('data')
  const target = get('target')
  if (dataPath === '' && (target !== '' || get('features') !== '')) throw new UsageError('--target and --features go with --data')
  if (dataPath !== '' && target === '') throw new UsageError('--data needs --target, the class column')
  const dropMissing = get('drop-missing')
  if (dropMissing !== 'true' && dropMissing !== 'false') throw new UsageError(`--drop-missing must be true or false, got "${dropMissing}"`)
  const modelName = get('model-name') || (dataPath === '' ? 'iris' : basename(dataPath, extname(dataPath)).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 63))
  if (!/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(modelName)) {
    throw new UsageError(`--model-name must be lower-case letters, digits, "_", "." or "-", starting with a letter or digit, got "${modelName}"`)
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
    modelName,
    modelVersion,
    output: get('output') || `models/${modelName}-rf.json`,
    ...(dataPath === ''
      ? {}
      : { data: { path: dataPath, target, features: get('features') === '' ? undefined : get('features').split(',').map((f) => f.trim()), dropMissing: dropMissing === 'true' } })
  }
}
