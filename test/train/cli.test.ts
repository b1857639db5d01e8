import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadModel, sha256Hex } from '../../src/model/load-model.js'

const train = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'train/cli.ts', ...args],
  { encoding: 'utf8', env: { ...process.env, MODEL_PATH: '' } })

t.test('npm run train prints the accuracies and the confusion matrix, and writes a reproducible artifact', async (t) => {
  const dir = t.testdir()
  const output = join(dir, 'model.json')
  const first = train(['--output', output])
  t.equal(first.status, 0, first.stderr)
  t.match(first.stdout, /Hold-out accuracy\s+\d+\.\d\d %/)
  t.match(first.stdout, /CV accuracy\s+\d+\.\d\d % ± \d+\.\d\d % \(stratified 5-fold/)
  t.match(first.stdout, /actual \\ predicted\s+setosa\s+versicolor\s+virginica/)
  t.match(first.stderr, /building trees .* 150\/150 done/)
  const sha = sha256Hex(readFileSync(output))
  t.match(first.stdout, `sha256              ${sha}`)
  t.match(readFileSync(join(dir, 'model.report.md'), 'utf8'), /# Model report: iris v1[\s\S]*Confusion matrix/)

  const second = train(['--output', output])
  t.equal(sha256Hex(readFileSync(output)), sha, 'a second run writes the same bytes')
  t.match(second.stdout, sha)
})

t.test('a bad option exits 2 with the usage', async (t) => {
  const result = train(['--trees', 'many'])
  t.equal(result.status, 2)
  t.match(result.stderr, /error: --trees must be an integer/)
  t.match(result.stderr, /Usage: npm run train/)
})

t.test('npm run train -- --data: a CSV of the user\'s, named after its file, loadable by the server', async (t) => {
  const dir = t.testdir({
    'Flowers 2.csv': 'petal length,petal width,kind\n' + Array.from({ length: 40 }, (_, i) => `${1 + (i % 20) / 10},${(i % 7) / 10},${i % 2 === 0 ? 'small' : 'large'}`).join('\n') + '\n'
  })
  const result = train(['--data', join(dir, 'Flowers 2.csv'), '--target', 'kind', '--folds', '3'])
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, /Model\s+flowers-2 v1/)
  t.match(result.stdout, /actual \\ predicted\s+large\s+small/)
  const output = join('models', 'flowers-2-rf.json')
  t.teardown(() => { rmSync(output, { force: true }); rmSync(output.replace(/\.json$/, '.report.md'), { force: true }) })
  const { artifact } = await loadModel(output)
  t.same(artifact.features.map((f) => f.name), ['petal_length', 'petal_width'])
  t.same(artifact.classes, ['large', 'small'])
  t.match(artifact.model, { name: 'flowers-2', dataset: 'Flowers 2.csv' })
  t.match(artifact.trained_with, { 'csv-parse': /^\d+\.\d+\.\d+$/ })
})

t.test('a data file the trainer cannot use exits 2 with one line that says why', async (t) => {
  const dir = t.testdir({ 'data.csv': 'x,kind\n1,a\n2,b\n' })
  const result = train(['--data', join(dir, 'data.csv'), '--target', 'class'])
  t.equal(result.status, 2)
  t.match(result.stderr, /^error: .*data.csv has no column "class" \(its columns: x, kind\)\n$/)
  const noTarget = train(['--data', join(dir, 'data.csv')])
  t.equal(noTarget.status, 2)
  t.match(noTarget.stderr, /--data needs --target, the class column/)
})
