import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { loadIris } from '../../train/dataset.js'
import t from 'tap'
import { buildTestApp, leaksInternals, postJson } from '../helpers/app.js'

const CLASSES = ['setosa', 'versicolor', 'virginica']

t.test('one row as an array: the documented response', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postJson(app, '/predict', { features: [5.1, 3.5, 1.4, 0.2] })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body), ['prediction', 'class', 'probabilities', 'confidence', 'processing_time_ms', 'timestamp'])
  t.equal(body.prediction, 0)
  t.equal(body.class, 'setosa')
  t.same(body.probabilities, { setosa: 1, versicolor: 0, virginica: 0 }, 'a unanimous vote is exactly 1')
  t.equal(body.confidence, 1)
  t.ok(body.processing_time_ms >= 0 && body.processing_time_ms < 1000)
  t.match(body.timestamp, /Z$/)
})

t.test('one row as an object keyed by feature name', async (t) => {
  const { app } = await buildTestApp(t)
  const named = await postJson(app, '/predict', { features: { petal_width: 2.3, sepal_length: 6.7, petal_length: 5.2, sepal_width: 3.0 } })
  const ordered = await postJson(app, '/predict', { features: [6.7, 3.0, 5.2, 2.3] })
  t.equal(named.statusCode, 200)
  t.equal(named.json().class, 'virginica')
  t.same(named.json().probabilities, ordered.json().probabilities, 'keys are mapped to the feature order')
})

t.test('a batch answers every row, in order, as the single-row route does', async (t) => {
  const { app } = await buildTestApp(t)
  const { features, labels } = loadIris()
  const res = await postJson(app, '/predict', { instances: features })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(Number(res.headers['content-length']), res.rawPayload.length)
  const body = res.json()
  t.same(Object.keys(body), ['predictions', 'processing_time_ms', 'timestamp'])
  t.equal(body.predictions.length, 150)
  const correct = body.predictions.filter((p: { prediction: number }, i: number) => p.prediction === labels[i]).length
  t.ok(correct >= 140, `${correct}/150 rows of the data set classified correctly`)
  for (const p of body.predictions) {
    const sum = CLASSES.reduce((s, c) => s + p.probabilities[c], 0)
    if (Math.abs(sum - 1) > 1e-9 || p.class !== CLASSES[p.prediction] || p.confidence !== p.probabilities[p.class]) {
      t.fail(`inconsistent prediction ${JSON.stringify(p)}`)
    }
  }
  const single = await postJson(app, '/predict', { features: features[77] })
  const { processing_time_ms: _a, timestamp: _b, ...row } = single.json()
  t.same(body.predictions[77], row)
})

t.test('batches of objects and arrays may be mixed', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postJson(app, '/predict', { instances: [[5.1, 3.5, 1.4, 0.2], { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 }] })
  t.same(res.json().predictions.map((p: { class: string }) => p.class), ['setosa', 'virginica'])
})

t.test('bad bodies get a 400 naming the field and the rule', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: [string, unknown, RegExp, string?][] = [
    ['too few values', { features: [1, 2, 3] }, /\/features must NOT have fewer than 4 items/, 'minItems'],
    ['too many values', { features: [1, 2, 3, 4, 5] }, /\/features must NOT have more than 4 items/, 'maxItems'],
    ['a string value', { features: [1, '2', 3, 4] }, /\/features\/1 must be a finite number/, 'type'],
    ['null value', { features: [1, null, 3, 4] }, /\/features\/1 must be a finite number/, 'type'],
    ['"NaN"', { features: [1, 'NaN', 3, 4] }, /\/features\/1 must be a finite number/, 'type'],
    ['Infinity (1e999)', '{"features":[1,1e999,3,4]}', /\/features\/1 must be a finite number/, 'type'],
    ['-Infinity', '{"features":[1,2,-1e999,4]}', /\/features\/2 must be a finite number/, 'type'],
    ['features not a row', { features: 'abc' }, /\/features must be a row: an array of numbers or an object keyed by feature name/, 'type'],
    ['a flat array where rows belong', { instances: [5.1, 3.5, 1.4, 0.2] }, /\/instances\/0 must be a row: an array of numbers or an object keyed by feature name/, 'type'],
    ['missing named feature', { features: { sepal_length: 1, sepal_width: 2, petal_length: 3 } }, /\/features is missing required field "petal_width"/, 'required'],
    ['unknown named feature', { features: { sepal_length: 1, sepal_width: 2, petal_length: 3, petal_width: 4, color: 1 } }, /\/features has unknown field "color"/, 'additionalProperties'],
    ['unknown top-level field', { features: [1, 2, 3, 4], extra: true }, /\/ has unknown field "extra"/, 'additionalProperties'],
    ['both features and instances', { features: [1, 2, 3, 4], instances: [[1, 2, 3, 4]] }, /exactly one of "features" \(one row\) or "instances" \(a batch\)/, 'not'],
    ['empty object', {}, /exactly one of "features"/, 'minProperties'],
    ['empty batch', { instances: [] }, /\/instances must NOT have fewer than 1 items/, 'minItems'],
    ['bad row in a batch', { instances: [[1, 2, 3, 4], [1, 2, 3]] }, /\/instances\/1 must NOT have fewer than 4 items/, 'minItems'],
    ['body is an array', [1, 2, 3, 4], /\/ must be object/, 'type'],
    ['malformed JSON', '{"features": [1,2,', /malformed JSON body/],
    ['empty body', '', /empty request body/],
    ['prototype pollution', '{"__proto__": {"polluted": true}, "features": [1,2,3,4]}', /forbidden key such as __proto__/],
    ['constructor pollution', '{"constructor": {"prototype": {"polluted": true}}}', /forbidden key/]
  ]
  for (const [name, body, message, rule] of cases) {
    const res = await postJson(app, '/predict', body)
    t.equal(res.statusCode, 400, name)
    const json = res.json()
    t.match(json.error, message, name)
    if (rule !== undefined) t.equal(json.details?.[0]?.rule, rule, `${name}: rule`)
    t.notOk(leaksInternals(res.body), `${name}: no internals`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted')
  t.equal((await app.inject('/health')).statusCode, 200, 'still serving')
})

t.test('wrong content types get 415', async (t) => {
  const { app } = await buildTestApp(t)
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    const res = await app.inject({ method: 'POST', url: '/predict', headers: { 'content-type': type }, payload: '{"features":[1,2,3,4]}' })
    t.equal(res.statusCode, 415, type)
    t.same(res.json(), { error: 'unsupported content type: send application/json' })
  }
  const charset = await postJson(app, '/predict', { features: [1, 2, 3, 4] }, { 'content-type': 'application/json; charset=utf-8' })
  t.equal(charset.statusCode, 200, 'a charset parameter is fine')
})

t.test('a compressed body gets 415 with Accept-Encoding: identity; an identity coding is fine', async (t) => {
  const { app } = await buildTestApp(t)
  const body = JSON.stringify({ features: [1, 2, 3, 4] })
  for (const [coding, payload] of [['gzip', gzipSync(body)], ['br', brotliCompressSync(body)], ['GZIP', gzipSync(body)], ['deflate, gzip', gzipSync(deflateSync(body))]] as const) {
    const res = await app.inject({ method: 'POST', url: '/predict', headers: { 'content-type': 'application/json', 'content-encoding': coding }, payload })
    t.equal(res.statusCode, 415, coding)
    t.equal(res.headers['accept-encoding'], 'identity', `${coding}: says what it takes`)
    t.same(res.json(), { error: `unsupported content encoding "${coding}": send the body uncompressed` }, coding)
  }
  const long = await postJson(app, '/predict', body, { 'content-encoding': 'x'.repeat(100) })
  t.equal(long.json().error, `unsupported content encoding "${'x'.repeat(40)}...": send the body uncompressed`, 'a long header is cut short')
  const oip = await postJson(app, '/v2/models/iris/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] }, { 'content-encoding': 'gzip' })
  t.equal(oip.statusCode, 415, 'Open Inference Protocol routes too')
  for (const coding of ['identity', ' Identity ', '']) {
    t.equal((await postJson(app, '/predict', body, { 'content-encoding': coding })).statusCode, 200, `content-encoding "${coding}"`)
  }
})

t.test('bodies over BODY_LIMIT and batches over MAX_BATCH get 413', async (t) => {
  const { app } = await buildTestApp(t, { BODY_LIMIT: '2048', MAX_BATCH: '5' })
  const big = await postJson(app, '/predict', { instances: Array.from({ length: 300 }, () => [1, 2, 3, 4]) })
  t.equal(big.statusCode, 413)
  t.same(big.json(), { error: 'request body larger than the limit of 2048 bytes' })
  const six = await postJson(app, '/predict', { instances: Array.from({ length: 6 }, () => [1, 2, 3, 4]) })
  t.equal(six.statusCode, 413)
  t.same(six.json(), { error: 'batch too large: instances may have at most 5 items' })
  const five = await postJson(app, '/predict', { instances: Array.from({ length: 5 }, () => [1, 2, 3, 4]) })
  t.equal(five.statusCode, 200)
})

t.test('the default MAX_BATCH is 1,000 rows', async (t) => {
  const { app } = await buildTestApp(t)
  const rows = (n: number) => ({ instances: Array.from({ length: n }, () => [5.9, 3, 5.1, 1.8]) })
  t.equal((await postJson(app, '/predict', rows(1000))).statusCode, 200)
  t.equal((await postJson(app, '/predict', rows(1001))).statusCode, 413)
})
