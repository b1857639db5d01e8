import t from 'tap'
import { sha256Hex } from '../../src/model/load-model.js'
import { readFileSync } from 'node:fs'
import { buildTestApp } from '../helpers/app.js'
import { ARTIFACT_PATH, committedArtifact } from '../helpers/model.js'

t.test('GET /info describes the served model from its artifact', async (t) => {
  const { app } = await buildTestApp(t)
  const artifact = committedArtifact()
  const res = await app.inject('/info')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body).slice(0, 5), ['model', 'dataset', 'accuracy', 'classes', 'features'], 'the fields clients know come first')
  t.match(body, {
    model: 'Random Forest Classifier',
    dataset: 'Iris',
    accuracy: artifact.metrics.holdout_accuracy,
    classes: ['setosa', 'versicolor', 'virginica'],
    features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    name: 'iris',
    version: artifact.model.version,
    sha256: sha256Hex(readFileSync(ARTIFACT_PATH)),
    cv_accuracy: artifact.metrics.cv_accuracy_mean,
    cv_accuracy_std: artifact.metrics.cv_accuracy_std,
    hyperparameters: artifact.hyperparameters,
    trained_with: artifact.trained_with
  })
  t.same(body.feature_ranges.petal_length, { min: artifact.features[2].min, max: artifact.features[2].max })
})

t.test('KServe V1 model status', async (t) => {
  const { app } = await buildTestApp(t)
  t.same((await app.inject('/v1/models')).json(), { models: ['iris'] })
  t.same((await app.inject('/v1/models/iris')).json(), { name: 'iris', ready: true })
  const unknown = await app.inject('/v1/models/rose')
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: 'model "rose" not found: this server serves "iris"' })
})

t.test('Open Inference Protocol metadata', async (t) => {
  const { app } = await buildTestApp(t)
  const server = await app.inject('/v2')
  t.equal(server.statusCode, 200)
  t.same(server.json(), { name: 'ml-api', version: JSON.parse(readFileSync('package.json', 'utf8')).version, extensions: [] })

  const expected = {
    name: 'iris',
    versions: ['1'],
    platform: 'ml-api_random-forest',
    inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 4] }],
    outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1] }, { name: 'predict_proba', datatype: 'FP32', shape: [-1, 3] }]
  }
  t.same((await app.inject('/v2/models/iris')).json(), expected)
  t.same((await app.inject('/v2/models/iris/versions/1')).json(), expected)
  t.same((await app.inject('/v2/models/iris/ready')).json(), { name: 'iris', ready: true })
  t.same((await app.inject('/v2/models/iris/versions/1/ready')).json(), { name: 'iris', ready: true })

  for (const url of ['/v2/models/rose', '/v2/models/rose/ready', '/v2/models/iris/versions/2', '/v2/models/iris/versions/2/ready']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.same(Object.keys(res.json()), ['error'], `${url}: an OIP error body`)
    t.match(res.json().error, /not found/)
  }
})
