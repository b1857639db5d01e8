import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Ajv } from 'ajv'
import type { ModelArtifact } from '../../src/model/artifact.js'
import { artifactSchema } from '../../src/model/artifact-schema.js'
import { loadModel, ModelLoadError, parseModel, sha256Hex } from '../../src/model/load-model.js'
import { ARTIFACT_PATH, committedArtifact } from '../helpers/model.js'

const bytes = readFileSync(ARTIFACT_PATH)
const encode = (artifact: unknown): Buffer => Buffer.from(JSON.stringify(artifact))

function rejects (t: Test, input: Buffer, message: RegExp, name: string, sha?: string): void {
  t.throws(() => parseModel(input, sha), message, name)
  t.throws(() => parseModel(input, sha), { name: 'ModelLoadError' }, `${name}: a ModelLoadError`)
}

t.test('the committed artifact loads, and its sha256 is that of its bytes', async (t) => {
  const model = await loadModel(ARTIFACT_PATH)
  t.equal(model.sha256, sha256Hex(bytes))
  t.equal(model.forest.nTrees, model.artifact.hyperparameters.n_estimators)
  t.equal(model.forest.nFeatures, 4)
  t.equal(model.forest.nClasses, 3)
  t.same(model.artifact.classes, ['setosa', 'versicolor', 'virginica'])
})

t.test('an expected sha256 is verified (case-insensitively)', async (t) => {
  const sha = sha256Hex(bytes)
  t.equal(parseModel(bytes, sha.toUpperCase()).sha256, sha)
  rejects(t, bytes, /model sha256 mismatch: expected 0{64}, file has [0-9a-f]{64}/, 'mismatch', '0'.repeat(64))
})

t.test('a missing or unreadable file is refused', async (t) => {
  const dir = t.testdir()
  await t.rejects(loadModel(join(dir, 'nope.json')), /model file not found: .*nope\.json/)
  await t.rejects(loadModel(dir), /cannot read model file .*: EISDIR/)
  await t.rejects(loadModel(join(dir, 'nope.json')), ModelLoadError)
})

t.test('corrupt and truncated JSON is refused', async (t) => {
  rejects(t, bytes.subarray(0, bytes.length / 2), /not valid JSON \(truncated or corrupt\)/, 'truncated')
  rejects(t, Buffer.from(''), /not valid JSON/, 'empty')
  rejects(t, Buffer.from('\u0000\u0001garbage'), /not valid JSON/, 'binary')
  rejects(t, Buffer.from('[1,2]'), /must be a JSON object/, 'array')
  rejects(t, Buffer.from('null'), /must be a JSON object/, 'null')
})

t.test('an unknown format or version is refused before the schema', async (t) => {
  rejects(t, encode({ ...committedArtifact(), format: 'onnx' }), /unknown model format "onnx"/, 'format')
  rejects(t, encode({ ...committedArtifact(), version: 2 }), /unsupported model artifact version 2: this server reads version 1/, 'version 2')
  rejects(t, encode({ ...committedArtifact(), version: '1' }), /unsupported model artifact version "1"/, 'version as string')
})

type Mutation = [string, (a: ModelArtifact) => void, RegExp]
const mutations: Mutation[] = [
  ['missing forest', (a) => { delete (a as Partial<ModelArtifact>).forest }, /invalid model artifact: \/ must have required property 'forest'/],
  ['unknown top-level field', (a) => { (a as unknown as Record<string, unknown>).extra = 1 }, /must NOT have additional properties/],
  ['threshold is a string', (a) => { (a.forest.trees[0].nodes[0] as unknown as Record<string, unknown>).threshold = '2.5' }, /\/forest\/trees\/0\/nodes\/0\/threshold must be number/],
  ['negative feature index', (a) => { (a.forest.trees[1].nodes[0] as { feature: number }).feature = -1 }, /\/forest\/trees\/1\/nodes\/0\/feature must be >= 0/],
  ['feature index out of range', (a) => { (a.forest.trees[2].nodes[0] as { feature: number }).feature = 4 }, /\/forest\/trees\/2\/nodes\/0\/feature 4 is out of range \(the model has 4 features\)/],
  ['leaf over an unknown class', (a) => { a.forest.trees[0].nodes = [{ value: [0, 0, 0, 1] }] }, /\/forest\/trees\/0\/nodes\/0\/value has 4 classes, the model has 3/],
  ['leaf not a distribution', (a) => { a.forest.trees[0].nodes = [{ value: [0.5, 0.5, 0.5] }] }, /value sums to 1.5, not 1/],
  ['probability above 1', (a) => { a.forest.trees[0].nodes = [{ value: [2, -1, 0] }] }, /value\/0 must be <= 1/],
  ['child pointing backwards', (a) => { (a.forest.trees[0].nodes[0] as { left: number }).left = 0 }, /nodes\/0\/left must be >= 1/],
  ['child out of range', (a) => { (a.forest.trees[0].nodes[0] as { right: number }).right = 999 }, /nodes\/0 has child 999 outside \(0, \d+\)/],
  ['unreachable node', (a) => { a.forest.trees[0].nodes.push({ value: [1, 0, 0] }) }, /nodes\/\d+ is not reached exactly once from the root/],
  ['no trees', (a) => { a.forest.trees = [] }, /\/forest\/trees must NOT have fewer than 1 items/],
  ['duplicate classes', (a) => { a.classes = ['setosa', 'setosa', 'virginica'] }, /\/classes must NOT have duplicate items/],
  ['feature min above max', (a) => { a.features[0].min = 100 }, /\/features\/0 has min > max/],
  ['bad model name', (a) => { a.model.name = '../etc' }, /\/model\/name must match pattern/]
]

t.test('schema and structure violations are refused with the bad field named', async (t) => {
  for (const [name, mutate, message] of mutations) {
    const artifact = committedArtifact()
    mutate(artifact)
    rejects(t, encode(artifact), message, name)
  }
})

t.test('loadModel reads through parseModel', async (t) => {
  const dir = t.testdir()
  const path = join(dir, 'bad.json')
  writeFileSync(path, encode({ ...committedArtifact(), version: 9 }))
  await t.rejects(loadModel(path), /unsupported model artifact version 9/)
})

t.test('the artifact schema is valid against the JSON-schema meta-schema', async (t) => {
  const ajv = new Ajv({ strict: true })
  t.equal(ajv.validateSchema(artifactSchema), true, ajv.errorsText(ajv.errors))
})
