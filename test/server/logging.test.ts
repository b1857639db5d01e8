import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { loadModel } from '../../src/model/load-model.js'
import { GENERATED_REQUEST_ID, postJson } from '../helpers/app.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

interface LogLine { level: number, msg: string, reqId?: string, [key: string]: unknown }

/** A stream that parses the JSON lines written to it into `lines`. */
function collect (lines: LogLine[]): Writable {
  return new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString()) as LogLine); done() } })
}

/** The app, logging JSON lines into an array. */
async function loggingApp (t: { teardown (fn: () => unknown): void }, env: Record<string, string> = {}) {
  const lines: LogLine[] = []
  const config = loadConfig({ MODEL_PATH: ARTIFACT_PATH, ...env })
  const app = await buildApp({ config, model: await loadModel(config.modelPath), logger: pino({ level: 'info' }, collect(lines)) })
  t.teardown(() => app.close())
  return { app, lines }
}

t.test('a rejected request is logged once, with its request id; an answered one logs nothing', async (t) => {
  const { app, lines } = await loggingApp(t)
  await app.ready()
  lines.length = 0
  const ok = await postJson(app, '/predict', { features: [5.1, 3.5, 1.4, 0.2] })
  t.equal(ok.statusCode, 200)
  t.same(lines, [], 'nothing logged for a prediction')
  const bad = await postJson(app, '/predict', { features: [1, 2] }, { 'x-request-id': 'client-req-7' })
  t.equal(bad.statusCode, 400)
  t.match(lines, [{ level: 30, msg: 'request rejected', reqId: 'client-req-7', status: 400 }])
  t.equal(lines.length, 1)
})

t.test('with LOG_REQUESTS=true every request logs its start and end, with a generated request id', async (t) => {
  const { app, lines } = await loggingApp(t, { LOG_REQUESTS: 'true' })
  await app.ready()
  lines.length = 0
  const res = await postJson(app, '/predict', { features: [5.1, 3.5, 1.4, 0.2] })
  const id = res.headers['x-request-id']
  t.match(id, GENERATED_REQUEST_ID)
  t.match(lines, [{ msg: 'incoming request', reqId: id }, { msg: 'request completed', reqId: id }])
})

t.test('a failure is logged at error with the stack and the request id', async (t) => {
  const { app, lines } = await loggingApp(t)
  app.get('/boom', async () => { throw new Error('kaboom') })
  await app.ready()
  lines.length = 0
  const res = await app.inject({ url: '/boom', headers: { 'x-request-id': 'client-req-9' } })
  t.equal(res.statusCode, 500)
  t.match(lines, [{ level: 50, reqId: 'client-req-9', err: { message: 'kaboom', stack: /kaboom/ } }])
})
