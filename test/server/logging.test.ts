import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { DeferredLogger } from '../../src/logging/deferred-logger.js'
import { loadModel } from '../../src/model/load-model.js'
import { postJson } from '../helpers/app.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

interface LogLine { level: number, msg: string, reqId?: string, [key: string]: unknown }

/** The app, logging JSON lines into an array. */
async function loggingApp (t: { teardown (fn: () => unknown): void }, env: Record<string, string> = {}) {
  const lines: LogLine[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString()) as LogLine); done() } })
  const config = loadConfig({ MODEL_PATH: ARTIFACT_PATH, ...env })
  const app = await buildApp({ config, model: await loadModel(config.modelPath), logger: { level: 'info', stream } })
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
  t.match(id, /^[0-9a-f-]{36}$/)
  t.match(lines, [{ msg: 'incoming request', reqId: id }, { msg: 'request completed', reqId: id }])
})

t.test('DeferredLogger makes its pino child on the first log call, with the bindings and options', async (t) => {
  const lines: LogLine[] = []
  const parent = pino({ level: 'info' }, new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString()) as LogLine); done() } }))
  let children = 0
  const counting = Object.assign(Object.create(parent) as typeof parent, {
    child: (...args: Parameters<typeof parent.child>) => { children++; return parent.child(...args) }
  })
  const logger = new DeferredLogger(counting, { reqId: 'r1' }, {})
  t.equal(logger.level, 'info', 'the level is the parent\'s')
  t.equal(children, 0, 'no child before a log call')
  logger.debug('below the level')
  logger.warn({ status: 400 }, 'rejected')
  logger.info('plain')
  logger.info('%s of %d', 'rows', 3)
  t.equal(children, 1, 'one child, made once')
  t.same(lines.map(({ level, reqId, status, msg }) => ({ level, reqId, status, msg })), [
    { level: 40, reqId: 'r1', status: 400, msg: 'rejected' },
    { level: 30, reqId: 'r1', status: undefined, msg: 'plain' },
    { level: 30, reqId: 'r1', status: undefined, msg: 'rows of 3' }
  ], 'messages and format arguments reach pino as they were given')
  logger.child({ model: 'iris' }).error('nested')
  t.match(lines[3], { level: 50, reqId: 'r1', model: 'iris', msg: 'nested' })
  const quiet = new DeferredLogger(parent, { reqId: 'r2' }, { level: 'error' })
  t.equal(quiet.level, 'error', 'a level in the options is the child\'s')
  quiet.warn('dropped')
  t.equal(lines.length, 4, 'the options reach the child')
})
