import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildTestApp, postJson } from '../helpers/app.js'

t.test('under pressure, model routes shed with 503 + Retry-After; probes, metrics and docs still answer', async (t) => {
  // A heap limit of 1 byte is passed at the first sample: the server is under pressure from then on.
  const { app } = await buildTestApp(t, { SHED_MAX_HEAP_USED_BYTES: '1', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_SAMPLE_INTERVAL_MS: '50', SHED_RETRY_AFTER_SECONDS: '3' })
  await app.ready()
  await sleep(200)
  for (const [url, body] of [['/predict', { features: [1, 2, 3, 4] }], ['/v1/models/iris:predict', { instances: [[1, 2, 3, 4]] }]] as const) {
    const res = await postJson(app, url, body)
    t.equal(res.statusCode, 503, url)
    t.equal(res.headers['retry-after'], '3')
    t.same(res.json(), { error: 'server under pressure: retry later' })
  }
  const v2 = await postJson(app, '/v2/models/iris/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] })
  t.equal(v2.statusCode, 503)
  t.same(Object.keys(v2.json()), ['error'])
  for (const url of ['/health', '/ready', '/metrics', '/v2/health/live', '/v2/health/ready', '/openapi.json']) {
    t.equal((await app.inject(url)).statusCode, 200, `${url} is exempt`)
  }
})

t.test('with the default thresholds an idle server does not shed', async (t) => {
  // Sampled every 100 ms: the busy start-up must not count against requests once the loop is idle.
  const { app } = await buildTestApp(t, { SHED_SAMPLE_INTERVAL_MS: '100' })
  await app.ready()
  await sleep(350)
  t.equal((await postJson(app, '/predict', { features: [1, 2, 3, 4] })).statusCode, 200)
})
