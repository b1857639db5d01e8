import { spawnSync } from 'node:child_process'
import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { startServer } from '../helpers/server-process.js'
import { benchBatchRowsPerSecond, podsNeeded, PROFILES, requestBody, stagesOf } from '../../scripts/loadtest.js'

const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/loadtest.ts'], {
  encoding: 'utf8',
  // A tiny profile: every stage, a second or two each.
  env: { ...process.env, PROFILE: 'smoke', WARMUP: '1', RAMP: '2', PLATEAU: '1', COOLDOWN: '1', BASE_RATE: '20', RATE: '80', CONNECTIONS: '2', HPA: 'no-such-hpa', ...env }
})

t.test('a staged run reports every stage and passes when nothing fails', async (t) => {
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const result = run({ URL: `http://127.0.0.1:${server.port}` })
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, /profile smoke: warm-up 1 s at 20 req\/s, ramp 2 s at 20→80 req\/s, plateau 1 s at 80 req\/s, cool-down 1 s at 20 req\/s/)
  for (const stage of ['warm-up', 'ramp', 'plateau', 'cool-down']) t.match(result.stdout, new RegExp(`^\\| ${stage} \\| \\d+ \\| [1-9]\\d* \\| \\d+ \\| none \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\|$`, 'm'), stage)
  t.match(result.stdout, /error rate 0\.00 % \(limit 1\.00 %\): passed/)
})

t.test('errors past MAX_ERROR_RATE fail the run', async (t) => {
  const result = run({ URL: 'http://127.0.0.1:9', WARMUP: '1', RAMP: '0', PLATEAU: '0', COOLDOWN: '0' })
  t.equal(result.status, 1)
  t.match(result.stdout, /ECONNREFUSED: \d+/)
  t.match(result.stdout, /FAILED/)
})

t.test('an unknown profile is a usage error', async (t) => {
  const result = run({ PROFILE: 'huge' })
  t.equal(result.status, 2)
  t.match(result.stderr, /unknown PROFILE "huge": one of smoke, default, hpa/)
})

t.test('the hpa profile offers more than 10 pods can take at the chart\'s defaults (250m, 70 %), by make bench\'s figures', async (t) => {
  const rowsPerSecond = benchBatchRowsPerSecond()
  t.ok(rowsPerSecond !== undefined && rowsPerSecond > 0, 'bench/results/latest.json has the 1,000-row batch throughput')
  t.ok(podsNeeded(PROFILES.hpa, rowsPerSecond ?? Infinity) > 10, `needs ${podsNeeded(PROFILES.hpa, rowsPerSecond ?? Infinity)} pods`)
  t.equal(podsNeeded({ ...PROFILES.hpa, rate: 1, rows: 175 }, 1000), 1, '175 rows/s at 1000 rows per CPU second is 0.175 cores: one pod')
  t.equal(podsNeeded({ ...PROFILES.hpa, rate: 1, rows: 176 }, 1000), 2)
  t.ok(PROFILES.hpa.cooldown > 300, 'the cool-down outlasts the default 300 s scale-down window')
})

t.test('batch profiles send instances of the profile\'s rows; one row sends features', async (t) => {
  t.equal((JSON.parse(requestBody(1000)) as { instances: number[][] }).instances.length, 1000)
  t.same(Object.keys(JSON.parse(requestBody(1)) as object), ['features'])
  t.same(stagesOf(PROFILES.hpa).map((s) => s.name), ['warm-up', 'ramp', 'plateau', 'cool-down'])
})

t.test('a batch profile reaches the server with every row predicted', async (t) => {
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const result = run({ URL: `http://127.0.0.1:${server.port}`, ROWS: '50', RAMP: '0', PLATEAU: '0', COOLDOWN: '0', BASE_RATE: '10' })
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, /50 rows per request/)
  const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text()
  const rows = [...metrics.matchAll(/^ml_predictions_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0)
  t.ok(rows >= 50 && rows % 50 === 0, `${rows} rows predicted, in requests of 50`)
})
