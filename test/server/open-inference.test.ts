import t from 'tap'
import { buildTestApp, GENERATED_REQUEST_ID, postJson } from '../helpers/app.js'

const nested = [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6], [5.1, 3.5, 1.4, 0.2]]
const input = (data: unknown, shape = [3, 4], datatype = 'FP32') => ({ name: 'input-0', shape, datatype, data })

t.test('infer with nested or flat data answers predict (INT64, [N]) and echoes the id', async (t) => {
  const { app } = await buildTestApp(t)
  const expected = (await postJson(app, '/predict', { instances: nested })).json().predictions.map((p: { prediction: number }) => p.prediction)
  for (const data of [nested, nested.flat()]) {
    const res = await postJson(app, '/v2/models/iris/infer', { id: 'req-7', inputs: [input(data)] })
    t.equal(res.statusCode, 200)
    t.same(res.json(), {
      model_name: 'iris',
      model_version: '1',
      id: 'req-7',
      outputs: [{ name: 'predict', datatype: 'INT64', shape: [3], data: expected }]
    })
  }
})

t.test('predict_proba (FP32, [N, 3]) when requested, FP64 input accepted, version path accepted', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postJson(app, '/v2/models/iris/versions/1/infer', {
    inputs: [input(nested, [3, 4], 'FP64')],
    outputs: [{ name: 'predict_proba' }, { name: 'predict' }]
  })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.id, GENERATED_REQUEST_ID, 'without an id the request id is used')
  t.equal(body.id, res.headers['x-request-id'])
  t.same(body.outputs.map((o: { name: string }) => o.name), ['predict_proba', 'predict'])
  const proba = body.outputs[0]
  t.same([proba.datatype, proba.shape], ['FP32', [3, 3]])
  t.equal(proba.data.length, 9)
  t.ok(proba.data.every((p: number) => p === Math.fround(p)), 'FP32 values')
  for (let r = 0; r < 3; r++) {
    const row = proba.data.slice(r * 3, r * 3 + 3)
    t.ok(Math.abs(row.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-6)
    t.equal(row.indexOf(Math.max(...row)), body.outputs[1].data[r], 'predict is the argmax of predict_proba')
  }
})

t.test('errors are {"error": "..."} with the protocol status codes', async (t) => {
  const { app } = await buildTestApp(t, { MAX_BATCH: '3' })
  const cases: [string, string, unknown, number, RegExp][] = [
    ['unknown model', '/v2/models/rose/infer', { inputs: [input(nested)] }, 404, /model "rose" not found/],
    ['unknown version', '/v2/models/iris/versions/9/infer', { inputs: [input(nested)] }, 404, /version "9" not found/],
    ['no inputs', '/v2/models/iris/infer', {}, 400, /missing required field "inputs"/],
    ['two inputs', '/v2/models/iris/infer', { inputs: [input(nested), input(nested)] }, 400, /\/inputs must NOT have more than 1 items/],
    ['wrong datatype', '/v2/models/iris/infer', { inputs: [input(nested, [3, 4], 'INT32')] }, 400, /\/inputs\/0\/datatype must be one of "FP32", "FP64"/],
    ['wrong width', '/v2/models/iris/infer', { inputs: [input([[1, 2, 3]], [1, 3])] }, 400, /must have shape \[N, 4\], got \[1, 3\]/],
    ['shape of one dimension', '/v2/models/iris/infer', { inputs: [input([1, 2, 3, 4], [4])] }, 400, /\/inputs\/0\/shape must NOT have fewer than 2 items/],
    ['data shorter than shape', '/v2/models/iris/infer', { inputs: [input([1, 2, 3, 4], [2, 4])] }, 400, /has 4 values, its shape \[2, 4\] needs 8/],
    ['nested rows disagree with shape', '/v2/models/iris/infer', { inputs: [input(nested, [2, 4])] }, 400, /has 3 rows of data, its shape says 2/],
    ['ragged rows', '/v2/models/iris/infer', { inputs: [input([[1, 2, 3, 4], [1, 2]], [2, 4])] }, 400, /row 1 must be an array of 4 numbers/],
    ['mixed nesting', '/v2/models/iris/infer', { inputs: [input([[1, 2, 3, 4], 1, 2, 3, 4], [2, 4])] }, 400, /has 5 rows of data|row 1 must be an array/],
    ['string value', '/v2/models/iris/infer', { inputs: [input([1, 2, '3', 4], [1, 4])] }, 400, /must be number|must be a finite number|must be array/],
    ['zero rows', '/v2/models/iris/infer', { inputs: [input([], [0, 4])] }, 400, /at least one row/],
    ['unknown output', '/v2/models/iris/infer', { inputs: [input(nested)], outputs: [{ name: 'explain' }] }, 400, /\/outputs\/0\/name must be one of "predict", "predict_proba"/],
    ['too many rows', '/v2/models/iris/infer', { inputs: [input(Array(16).fill(1), [4, 4])] }, 413, /batch too large: 4 rows, at most 3/]
  ]
  for (const [name, url, body, status, message] of cases) {
    const res = await postJson(app, url, body)
    t.equal(res.statusCode, status, name)
    t.same(Object.keys(res.json()), ['error'], `${name}: only "error"`)
    t.match(res.json().error, message, name)
  }
})
