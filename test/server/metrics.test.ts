import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { ERROR_TYPES } from '../../src/metrics/app-metrics.js'
import { buildTestApp, postJson } from '../helpers/app.js'
import { labelSets, sample } from '../helpers/metrics.js'
import { committedArtifact } from '../helpers/model.js'

const artifact = committedArtifact()

t.test('GET /metrics exposes every family, with counters at 0 for every known label before any traffic', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject('/metrics')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = res.body
  for (const family of ['ml_predictions_total', 'ml_prediction_duration_seconds', 'ml_active_requests', 'ml_errors_total', 'ml_model_accuracy',
    'http_requests_total', 'http_request_duration_seconds', 'ml_model_info', 'ml_batch_size', 'ml_input_out_of_range_total', 'ml_shed_requests_total',
    'process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
    t.match(text, new RegExp(`^# TYPE ${family} `, 'm'), family)
  }
  for (const name of artifact.classes) t.equal(sample(text, 'ml_predictions_total', { model: 'iris', class: name }), 0, `predictions of ${name}`)
  for (const type of ERROR_TYPES) t.equal(sample(text, 'ml_errors_total', { type }), 0, `errors of type ${type}`)
  for (const f of artifact.features) t.equal(sample(text, 'ml_input_out_of_range_total', { model: 'iris', feature: f.name }), 0, `out of range ${f.name}`)
  for (const reason of ['eventLoopDelay', 'eventLoopUtilization', 'heapUsedBytes', 'rssBytes']) t.equal(sample(text, 'ml_shed_requests_total', { reason }), 0)
  for (const status of ['200', '400', '413', '415', '503']) {
    t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/predict', status_code: status }), 0, `POST /predict ${status} declared`)
  }
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/models/:model:predict', status_code: '404' }), 0, 'the V1 route has a readable label')
  t.notOk(labelSets(text, 'http_requests_total').some((l) => l.status_code === '405'), 'no series at 0 for the methods a path does not take')
  t.equal(sample(text, 'ml_model_info', { model: 'iris', version: artifact.model.version }), 1)
  t.match(labelSets(text, 'ml_model_info')[0].sha256, /^[0-9a-f]{64}$/)
  t.equal(sample(text, 'ml_model_accuracy', { model: 'iris' }), artifact.metrics.holdout_accuracy)
  t.equal(sample(text, 'ml_active_requests'), 0)
  t.notOk(labelSets(text, 'http_requests_total').some((l) => l.route === '/metrics' && l.method === 'GET'), 'scrapes are not counted')
})

t.test('traffic is counted by class, batch size, duration, route pattern, status and error type', async (t) => {
  const { app } = await buildTestApp(t, { MAX_BATCH: '10' })
  await postJson(app, '/predict', { features: [5.1, 3.5, 1.4, 0.2] })
  await postJson(app, '/predict', { instances: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [6.7, 3.0, 5.2, 2.3]] })
  await postJson(app, '/v1/models/iris:predict', { instances: [[6.4, 3.2, 4.5, 1.5]] })
  await postJson(app, '/v2/models/iris/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [100, 3.0, -5, 2.3] }] })
  await postJson(app, '/predict', { features: [1, 2, 3] }) // validation
  await postJson(app, '/predict', '{"features":') // malformed_json
  await app.inject({ method: 'POST', url: '/predict', headers: { 'content-type': 'text/plain' }, payload: 'x' }) // unsupported_media_type
  await postJson(app, '/predict', { instances: Array(11).fill([1, 2, 3, 4]) }) // batch_too_large
  await app.inject('/no/such/path/12345') // not_found
  await app.inject({ method: 'DELETE', url: '/predict' }) // method_not_allowed
  await app.inject({ method: 'PUT', url: '/v1/models/iris:predict' }) // method_not_allowed
  await app.inject('/v2/models/rose') // model_not_found

  const text = (await app.inject('/metrics')).body
  t.equal(sample(text, 'ml_predictions_total', { class: 'setosa' }), 3, 'two setosa rows, and the out-of-range row')
  t.equal(sample(text, 'ml_predictions_total', { class: 'versicolor' }), 1)
  t.equal(sample(text, 'ml_predictions_total', { class: 'virginica' }), 2)
  t.equal(sample(text, 'ml_batch_size_count'), 4)
  t.equal(sample(text, 'ml_batch_size_sum'), 6)
  t.equal(sample(text, 'ml_batch_size_bucket', { le: '1' }), 3)
  t.equal(sample(text, 'ml_prediction_duration_seconds_count'), 4)
  t.equal(sample(text, 'ml_input_out_of_range_total', { feature: 'sepal_length' }), 1, '100 cm is out of range')
  t.equal(sample(text, 'ml_input_out_of_range_total', { feature: 'petal_length' }), 1, '-5 cm is out of range')
  t.equal(sample(text, 'ml_input_out_of_range_total', { feature: 'sepal_width' }), 0)
  for (const type of ['validation', 'malformed_json', 'unsupported_media_type', 'batch_too_large', 'not_found', 'model_not_found']) {
    t.equal(sample(text, 'ml_errors_total', { type }), 1, type)
  }
  t.equal(sample(text, 'ml_errors_total', { type: 'method_not_allowed' }), 2)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/predict', status_code: '200' }), 2)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/predict', status_code: '400' }), 2)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/models/:model:predict', status_code: '200' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/v2/models/:model/infer', status_code: '200' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' }), 1, 'unknown URLs share one label')
  t.equal(sample(text, 'http_requests_total', { method: 'DELETE', route: '/predict', status_code: '405' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'PUT', route: '/v1/models/:model:predict', status_code: '405' }), 1, 'a 405 has its path\'s readable label')
  t.equal(sample(text, 'http_request_duration_seconds_count', { method: 'DELETE', route: '/predict', status_code: '405' }), 1)
  t.same(labelSets(text, 'http_requests_total').filter((l) => l.status_code === '405').map((l) => `${l.method} ${l.route}`).sort(),
    ['DELETE /predict', 'PUT /v1/models/:model:predict'], 'only the 405s answered have series')
  t.notOk(labelSets(text, 'http_requests_total').some((l) => l.route.includes('12345')), 'no raw URL becomes a label')
  t.equal(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/predict', status_code: '200' }), 2)
  t.ok((sample(text, 'http_request_duration_seconds_bucket', { route: '/predict', status_code: '200', le: '10' }) ?? 0) === 2)
  t.equal(sample(text, 'ml_active_requests'), 0, 'nothing left in flight')
})

t.test('shed requests are counted by reason', async (t) => {
  const { app } = await buildTestApp(t, { SHED_MAX_HEAP_USED_BYTES: '1', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_SAMPLE_INTERVAL_MS: '50' })
  await app.ready()
  await sleep(200)
  t.equal((await postJson(app, '/predict', { features: [1, 2, 3, 4] })).statusCode, 503)
  const text = (await app.inject('/metrics')).body
  t.equal(sample(text, 'ml_shed_requests_total', { reason: 'heapUsedBytes' }), 1)
  t.equal(sample(text, 'ml_errors_total', { type: 'shed' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/predict', status_code: '503' }), 1)
})

t.test('METRICS_ENABLED=false records nothing per request; process metrics remain', async (t) => {
  const { app } = await buildTestApp(t, { METRICS_ENABLED: 'false' })
  await postJson(app, '/predict', { features: [5.1, 3.5, 1.4, 0.2] })
  const text = (await app.inject('/metrics')).body
  t.match(text, /^process_cpu_seconds_total /m)
  t.notMatch(text, /^(ml_|http_)/m)
})

t.test('the GC duration histogram is exposed only with METRICS_GC_DURATION=true', async (t) => {
  const gcFamily = /^# TYPE nodejs_gc_duration_seconds histogram$/m
  const { app: byDefault } = await buildTestApp(t)
  t.notMatch((await byDefault.inject('/metrics')).body, gcFamily)
  const { app: withGc } = await buildTestApp(t, { METRICS_GC_DURATION: 'true' })
  t.match((await withGc.inject('/metrics')).body, gcFamily)
})
