import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { sha256Hex } from '../../src/model/load-model.js'

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
