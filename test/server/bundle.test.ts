import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { buildBundle, startServer } from '../helpers/server-process.js'

// The image runs the bundle, not src/: it must start, predict, serve Swagger UI's files and drain like src/ does.
t.test('the bundled server answers every kind of route and exits 0 on SIGTERM', async (t) => {
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' }, buildBundle(t.testdir()))
  t.teardown(() => { server.child.kill('SIGKILL') })
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`

  t.equal((await fetch(url('/ready'))).status, 200, '/ready')
  const prediction = await fetch(url('/predict'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"features":[6.7,3.0,5.2,2.3]}' })
  t.match(await prediction.json(), { class: 'virginica' }, '/predict')
  const invalid = await fetch(url('/predict'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"features":[1]}' })
  t.equal(invalid.status, 400, 'schema validation')
  t.match(await (await fetch(url('/openapi.json'))).json(), { openapi: '3.1.0' }, '/openapi.json')
  t.match(await (await fetch(url('/docs/'))).text(), /swagger-ui/, '/docs/')
  for (const file of ['swagger-ui-bundle.js', 'index.css', 'logo.svg']) {
    const res = await fetch(url(`/docs/static/${file}`))
    t.equal(res.status, 200, `Swagger UI's ${file}`)
    await res.arrayBuffer()
  }
  t.match(await (await fetch(url('/metrics'))).text(), /ml_predictions_total\{[^}]*class="virginica"[^}]*\} 1\b/, '/metrics')

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})
