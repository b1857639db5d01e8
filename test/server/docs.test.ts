import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

t.test('GET /openapi.json is an OpenAPI 3.1 document generated from the route schemas', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')
  t.equal(doc.info.title, 'ml-api')
  for (const path of ['/health', '/ready', '/info', '/predict', '/metrics', '/v1/models/{model}', '/v2', '/v2/health/live',
    '/v2/health/ready', '/v2/models/{model}', '/v2/models/{model}/ready', '/v2/models/{model}/infer', '/v2/models/{model}/versions/{version}/infer']) {
    t.ok(doc.paths[path], `documents ${path}`)
  }
  t.ok(Object.keys(doc.paths).some((p) => p.startsWith('/v1/models/{model}') && p.endsWith(':predict')), 'documents the V1 predict path')
  const predict = doc.paths['/predict'].post
  const body = predict.requestBody.content['application/json'].schema
  t.same(Object.keys(body.properties), ['features', 'instances'])
  t.equal(body.properties.instances.maxItems, 1000)
  t.ok(predict.responses['400'] && predict.responses['413'] && predict.responses['415'], 'error responses are documented')
  t.notOk(Object.keys(doc.paths).some((p) => p === '/openapi.json'), 'the document does not list itself')
})

t.test('GET /docs serves Swagger UI pointed at /openapi.json', async (t) => {
  const { app } = await buildTestApp(t)
  const page = await app.inject('/docs/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  const init = await app.inject('/docs/static/swagger-initializer.js')
  t.equal(init.statusCode, 200)
  t.match(init.body, /openapi\.json/)
})
