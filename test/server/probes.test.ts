import t from 'tap'
import { buildTestApp, GENERATED_REQUEST_ID } from '../helpers/app.js'

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

t.test('GET /health answers healthy with a UTC timestamp', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject('/health')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /application\/json/)
  const body = res.json()
  t.same(Object.keys(body), ['status', 'timestamp'])
  t.equal(body.status, 'healthy')
  t.match(body.timestamp, ISO_UTC)
})

t.test('GET /ready is 200 with the model loaded, 503 with a reason once draining', async (t) => {
  const { app, lifecycle } = await buildTestApp(t)
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { status: 'ready', model_loaded: true, timestamp: ISO_UTC })
  t.not(ready.headers.connection, 'close')

  lifecycle.startDraining()
  const draining = await app.inject('/ready')
  t.equal(draining.statusCode, 503)
  t.match(draining.json(), { status: 'not_ready', model_loaded: true, reason: /draining/, timestamp: ISO_UTC })
  t.equal(draining.headers.connection, 'close', 'draining responses ask the client to close the connection')

  const health = await app.inject('/health')
  t.equal(health.statusCode, 200, 'liveness is unaffected by draining')
  const predict = await app.inject({ method: 'POST', url: '/predict', payload: { features: [5.1, 3.5, 1.4, 0.2] } })
  t.equal(predict.statusCode, 200, 'requests are still served while draining')
  t.equal(predict.headers.connection, 'close')
})

t.test('Open Inference Protocol health', async (t) => {
  const { app, lifecycle } = await buildTestApp(t)
  t.same((await app.inject('/v2/health/live')).json(), { live: true })
  const ready = await app.inject('/v2/health/ready')
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { ready: true })
  lifecycle.startDraining()
  const draining = await app.inject('/v2/health/ready')
  t.equal(draining.statusCode, 503)
  t.match(draining.json(), { error: /draining/ })
  t.same((await app.inject('/v2/health/live')).json(), { live: true })
})

t.test('x-request-id is honoured when well-formed and generated otherwise', async (t) => {
  const { app } = await buildTestApp(t)
  const given = await app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } })
  t.equal(given.headers['x-request-id'], 'abc-123')
  const generated = await app.inject('/health')
  t.match(generated.headers['x-request-id'], GENERATED_REQUEST_ID)
  const next = await app.inject('/health')
  t.not(next.headers['x-request-id'], generated.headers['x-request-id'], 'each request gets its own id')
  const { app: other } = await buildTestApp(t)
  const base = (id: unknown) => String(id).replace(/-\d+$/, '')
  t.not(base((await other.inject('/health')).headers['x-request-id']), base(generated.headers['x-request-id']), 'another server counts from another random base')
  const hostile = await app.inject({ url: '/health', headers: { 'x-request-id': 'a\nb "injected"' } })
  t.match(hostile.headers['x-request-id'], GENERATED_REQUEST_ID, 'an unsafe id is replaced')
  const long = await app.inject({ url: '/health', headers: { 'x-request-id': 'x'.repeat(200) } })
  t.match(long.headers['x-request-id'], GENERATED_REQUEST_ID)
})
