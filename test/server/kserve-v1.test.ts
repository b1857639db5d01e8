import t from 'tap'
import { buildTestApp, postJson } from '../helpers/app.js'

const rows = [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6], [5.1, 3.5, 1.4, 0.2]]

t.test('POST /v1/models/iris:predict answers class indices', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postJson(app, '/v1/models/iris:predict', { instances: rows })
  t.equal(res.statusCode, 200)
  const classes = (await postJson(app, '/predict', { instances: rows })).json().predictions.map((p: { prediction: number }) => p.prediction)
  t.same(res.json(), { predictions: classes })
  t.equal(classes[2], 0)
})

t.test('?probabilities=true answers the class probabilities of each instance', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postJson(app, '/v1/models/iris:predict?probabilities=true', { instances: rows })
  t.equal(res.statusCode, 200)
  const native = (await postJson(app, '/predict', { instances: rows })).json().predictions
  t.same(res.json().predictions, native.map((p: { probabilities: Record<string, number> }) => Object.values(p.probabilities)))
  const bad = await postJson(app, '/v1/models/iris:predict?probabilities=yes', { instances: rows })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().error, /invalid request querystring: \/probabilities must be one of "true", "false"/)
})

t.test('errors: unknown model 404, bad instances 400, oversized batch 413', async (t) => {
  const { app } = await buildTestApp(t, { MAX_BATCH: '2' })
  const unknown = await postJson(app, '/v1/models/rose:predict', { instances: rows.slice(0, 1) })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json().error, /model "rose" not found/)
  const bad = await postJson(app, '/v1/models/iris:predict', { instances: [[1, 2]] })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { error: /\/instances\/0 must NOT have fewer than 4 items/, details: [{ field: '/instances/0', rule: 'minItems' }] })
  const missing = await postJson(app, '/v1/models/iris:predict', { inputs: rows })
  t.equal(missing.statusCode, 400)
  t.match(missing.json().error, /missing required field "instances"|unknown field "inputs"/)
  const big = await postJson(app, '/v1/models/iris:predict', { instances: rows })
  t.equal(big.statusCode, 413)
})
