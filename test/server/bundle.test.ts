import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { buildBundle, startServer } from '../helpers/server-process.js'

const bundle = buildBundle(t.testdir())
const bundleDir = dirname(bundle[0])

t.test('the bundle is ASCII, its licence comments beside it', async (t) => {
  // V8 keeps a script's source in memory, at two bytes a character if a single one is not ASCII (5 MB here).
  const source = readFileSync(join(bundleDir, 'server.cjs'), 'latin1')
  const outside = /[\u0080-\u00ff]/.exec(source) // latin1: each byte over 0x7f reads as one of these
  t.equal(outside, null, outside === null ? 'ASCII only' : `not ASCII at ${outside.index}: ${source.slice(outside.index - 40, outside.index + 40)}`)
  t.match(readFileSync(join(bundleDir, 'server.cjs.LEGAL.txt'), 'utf8'), /MIT/)
})

// The image runs the bundle, not src/: it must start, predict, serve Swagger UI's files and drain like src/ does.
t.test('the bundled server answers every kind of route and exits 0 on SIGTERM', async (t) => {
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' }, bundle)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`

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
