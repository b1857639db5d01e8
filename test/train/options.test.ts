import t from 'tap'
import { parseTrainOptions, usage } from '../../train/options.js'

t.test('defaults', async (t) => {
  const options = parseTrainOptions([], {})
  t.not(options, 'help')
  if (options === 'help') return
  t.same(options.hyperparameters, { n_estimators: 25, max_features: 1, max_depth: 3, min_samples: 5, seed: 42 })
  t.equal(options.testSize, 0.2)
  t.equal(options.folds, 5)
  t.equal(options.output, 'models/iris-rf.json')
  t.equal(options.modelVersion, '1')
})

t.test('flags win over the environment, which wins over defaults', async (t) => {
  const options = parseTrainOptions(['--trees', '7', '--output=/tmp/x.json'], { TRAIN_TREES: '9', TRAIN_SEED: '3', MODEL_PATH: 'a.json' })
  if (options === 'help') throw new Error('unexpected help')
  t.equal(options.hyperparameters.n_estimators, 7)
  t.equal(options.hyperparameters.seed, 3)
  t.equal(options.output, '/tmp/x.json')
})

t.test('bad values are refused with a message naming the option', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--trees', '0'], /--trees must be an integer from 1/],
    [['--trees', '2.5'], /--trees must be an integer/],
    [['--max-features', '0'], /--max-features must be a number in \(0, 1\]/],
    [['--max-features', 'abc'], /--max-features/],
    [['--test-size', '1'], /--test-size must be a number in \(0, 1\)/],
    [['--folds', '1'], /--folds must be an integer from 2/],
    [['--model-version', 'a b'], /--model-version/],
    [['--nope'], /Unknown option '--nope'/]
  ]
  for (const [argv, message] of cases) {
    t.throws(() => parseTrainOptions(argv, {}), message, argv.join(' '))
    t.throws(() => parseTrainOptions(argv, {}), { name: 'UsageError' })
  }
  t.throws(() => parseTrainOptions([], { TRAIN_MAX_DEPTH: '-1' }), /--max-depth/)
})

t.test('--help lists every option with its variable', async (t) => {
  t.equal(parseTrainOptions(['--help'], {}), 'help')
  for (const word of ['--trees', 'TRAIN_TREES', '--max-features', '--max-depth', '--min-samples', '--seed', 'MODEL_PATH']) {
    t.match(usage(), word)
  }
})
