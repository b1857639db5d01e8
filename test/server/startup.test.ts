import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { sha256Hex } from '../../src/model/load-model.js'
import { runServerToExit, startServer } from '../helpers/server-process.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

/** One fatal log line naming the problem, and exit code 1. */
async function refusesToStart (t: Test, env: Record<string, string>, message: RegExp): Promise<void> {
  const { code, output } = await runServerToExit({ MODEL_PATH: ARTIFACT_PATH, ...env })
  t.equal(code, 1, 'exit code 1')
  const lines = output.trim().split('\n')
  t.equal(lines.length, 1, `one log line: ${output}`)
  const line = JSON.parse(lines[0]) as { level: number, msg: string }
  t.equal(line.level, 60, 'logged as fatal')
  t.match(line.msg, message)
  t.notMatch(output, /Server listening/, 'never listened')
}

t.test('a bad configuration: exit 1 with one clear line', async (t) => {
  await refusesToStart(t, { MAX_BATCH: 'lots' }, /^invalid configuration: MAX_BATCH must be an integer/)
})

t.test('models that cannot be served: exit 1 with one clear line, never listening', async (t) => {
  const dir = t.testdir()
  const write = (name: string, content: string | Buffer) => { const path = join(dir, name); writeFileSync(path, content); return path }
  const bytes = readFileSync(ARTIFACT_PATH)
  const artifact = JSON.parse(bytes.toString())
  const cases: [string, Record<string, string>, RegExp][] = [
    ['missing file', { MODEL_PATH: join(dir, 'none.json') }, /^cannot load the model: model file not found/],
    ['truncated JSON', { MODEL_PATH: write('cut.json', bytes.subarray(0, 500)) }, /^cannot load the model: model file is not valid JSON/],
    ['wrong schema', { MODEL_PATH: write('schema.json', JSON.stringify({ ...artifact, classes: 'setosa' })) }, /^cannot load the model: invalid model artifact: \/classes must be array/],
    ['unknown version', { MODEL_PATH: write('v2.json', JSON.stringify({ ...artifact, version: 2 })) }, /^cannot load the model: unsupported model artifact version 2/],
    ['out-of-range feature', {
      MODEL_PATH: write('feature.json', JSON.stringify({ ...artifact, forest: { trees: [{ nodes: [{ feature: 7, threshold: 1, left: 1, right: 2 }, { value: [1, 0, 0] }, { value: [0, 1, 0] }] }] } }))
    }, /feature 7 is out of range/],
    ['out-of-range class', { MODEL_PATH: write('class.json', JSON.stringify({ ...artifact, forest: { trees: [{ nodes: [{ value: [0, 0, 0, 1] }] }] } })) }, /has 4 classes, the model has 3/],
    ['sha256 mismatch', { MODEL_SHA256: sha256Hex('other') }, /^cannot load the model: model sha256 mismatch/]
  ]
  for (const [name, env, message] of cases) await t.test(name, (t) => refusesToStart(t, env, message))
})

t.test('the right MODEL_SHA256 starts the server', async (t) => {
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, MODEL_SHA256: sha256Hex(readFileSync(ARTIFACT_PATH)), DRAIN_DELAY_MS: '100' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const res = await fetch(`http://127.0.0.1:${server.port}/ready`)
  t.equal(res.status, 200)
  t.match(server.logs.join('\n'), /model loaded, serving/)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('METRICS_PORT also serves /metrics on a second port', async (t) => {
  const { createServer } = await import('node:net')
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const metricsPort = (probe.address() as { port: number }).port
  await new Promise((resolve) => probe.close(resolve))

  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, METRICS_PORT: String(metricsPort), DRAIN_DELAY_MS: '0' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  await fetch(`http://127.0.0.1:${server.port}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"features":[5.1,3.5,1.4,0.2]}' })
  const separate = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
  t.match(separate, /^ml_predictions_total\{model="iris",class="setosa"\} 1$/m, 'the same registry, on the metrics port')
  t.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 200, 'and still on the API port')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'both listeners close on shutdown')
})
