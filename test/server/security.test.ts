import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { buildTestApp, postJson } from '../helpers/app.js'
import { sample } from '../helpers/metrics.js'

const TOKEN = 'a-test-token-of-32-characters-00'
const ROW = { features: [5.1, 3.5, 1.4, 0.2] }

t.test('JSON answers carry the security headers of an API; Swagger UI keeps its scripts', async (t) => {
  const { app } = await buildTestApp(t)
  for (const res of [await app.inject('/health'), await postJson(app, '/predict', ROW), await postJson(app, '/predict', { features: [] }), await app.inject('/nope')]) {
    t.match(res.headers, {
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin'
    })
    t.equal(res.headers['referrer-policy'], undefined, 'no referrer policy: a JSON answer is not a document')
  }
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.equal(docs.headers['content-security-policy'], undefined, 'no API policy on the HTML page')
  t.equal(docs.headers['x-frame-options'], 'DENY')
  t.equal(docs.headers['referrer-policy'], 'no-referrer')
})

t.test('without API_TOKEN the prediction routes are open', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await postJson(app, '/predict', ROW)).statusCode, 200)
})

t.test('with API_TOKEN the prediction routes need the bearer token; probes, metrics and docs stay open', async (t) => {
  const { app } = await buildTestApp(t, { API_TOKEN: TOKEN })
  const routes: [string, unknown][] = [
    ['/predict', ROW],
    ['/v1/models/iris:predict', { instances: [[5.1, 3.5, 1.4, 0.2]] }],
    ['/v2/models/iris/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] }]
  ]
  for (const [url, body] of routes) {
    const missing = await postJson(app, url, body)
    t.equal(missing.statusCode, 401, `${url} without a token`)
    t.same(missing.json(), { error: 'missing bearer token: send Authorization: Bearer <API_TOKEN>' })
    const wrong = await postJson(app, url, body, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` })
    t.equal(wrong.statusCode, 401, `${url} with a wrong token`)
    t.same(wrong.json(), { error: 'invalid bearer token' })
    t.equal((await postJson(app, url, body, { authorization: `Basic ${TOKEN}` })).statusCode, 401, `${url} with another scheme`)
    t.equal((await postJson(app, url, body, { authorization: `Bearer ${TOKEN}` })).statusCode, 200, `${url} with the token`)
  }
  for (const url of ['/health', '/ready', '/metrics', '/info', '/v2/health/live', '/v2/health/ready', '/v2/models/iris', '/openapi.json', '/docs/']) {
    t.equal((await app.inject(url)).statusCode, 200, `${url} is open`)
  }
  t.equal(sample((await app.inject('/metrics')).body, 'ml_errors_total', { type: 'unauthorized' }), 9, 'refusals are counted')
})

t.test('a weak or malformed API_TOKEN is refused at start', async (t) => {
  t.throws(() => loadConfig({ API_TOKEN: 'short' }), /API_TOKEN must be 16 to 512 visible ASCII characters/)
  t.throws(() => loadConfig({ API_TOKEN: 'has spaces in the middle of it' }), /API_TOKEN must be/)
  t.equal(loadConfig({ API_TOKEN: TOKEN }).apiToken, TOKEN)
})
