import t from 'tap'
import { buildTestApp, leaksInternals } from '../helpers/app.js'

t.test('unknown routes get a JSON 404', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject('/nope?x=1')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: 'no route GET /nope' })
})

t.test('a known path with the wrong method gets 405 and Allow', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: [string, string, RegExp][] = [
    ['GET', '/predict', /^POST$/],
    ['DELETE', '/predict', /^POST$/],
    ['POST', '/health', /GET/],
    ['PUT', '/v2/models/iris/infer', /^POST$/],
    ['POST', '/info', /GET/]
  ]
  for (const [method, url, allow] of cases) {
    const res = await app.inject({ method: method as 'GET', url })
    t.equal(res.statusCode, 405, `${method} ${url}`)
    t.match(res.headers.allow, allow)
    t.match(res.json().error, new RegExp(`method ${method} not allowed on ${url.replace(/\//g, '\\/')}`))
  }
})

t.test('an unexpected failure is a 500 without internals, and the server keeps serving', async (t) => {
  const { app } = await buildTestApp(t)
  app.get('/boom', async () => { throw new Error(`secret detail at ${import.meta.url}`) })
  const res = await app.inject('/boom')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: 'internal server error' })
  t.notOk(leaksInternals(res.body))
  t.equal((await app.inject('/health')).statusCode, 200)
})
