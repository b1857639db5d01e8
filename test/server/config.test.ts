import { readFileSync } from 'node:fs'
import t from 'tap'
import { ENVIRONMENT, loadConfig } from '../../src/config.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    host: '127.0.0.1', port: 8080, metricsPort: undefined, modelPath: 'models/iris-rf.json', modelSha256: undefined,
    logLevel: 'info', logRequests: false, metricsEnabled: true, metricsGcDuration: false, bodyLimit: 1048576, maxBatch: 1000, drainDelayMs: 5000, gracePeriodMs: 25000
  })
  t.same(config.shedding, { maxEventLoopDelayMs: 200, maxEventLoopUtilization: 0, maxHeapUsedBytes: 0, maxRssBytes: 0, retryAfterSeconds: 1, sampleIntervalMs: 1000 })
})

t.test('values are read and normalised', async (t) => {
  const config = loadConfig({ PORT: ' 9000 ', METRICS_PORT: '9100', MODEL_SHA256: 'AB'.repeat(32), LOG_REQUESTS: 'true', METRICS_GC_DURATION: 'true', MAX_BATCH: '10', HOST: '0.0.0.0', SHED_MAX_EVENT_LOOP_UTILIZATION: '0.9' })
  t.match(config, { port: 9000, metricsPort: 9100, modelSha256: 'ab'.repeat(32), logRequests: true, metricsGcDuration: true, maxBatch: 10, host: '0.0.0.0' })
  t.equal(config.shedding.maxEventLoopUtilization, 0.9)
  t.equal(loadConfig({ PORT: '' }).port, 8080, 'an empty value means the default')
})

t.test('bad values are refused with a message naming the variable', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'http' }, /PORT must be an integer from 0 to 65535, got "http"/],
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ PORT: '-1' }, /PORT must be an integer/],
    [{ METRICS_PORT: '8080' }, /METRICS_PORT must differ from PORT/],
    [{ MODEL_SHA256: 'abc' }, /MODEL_SHA256 must be 64 hexadecimal digits/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ LOG_REQUESTS: 'yes' }, /LOG_REQUESTS must be true or false/],
    [{ METRICS_GC_DURATION: '1' }, /METRICS_GC_DURATION must be true or false, got "1"/],
    [{ BODY_LIMIT: '10' }, /BODY_LIMIT must be an integer from 1024/],
    [{ MAX_BATCH: '0' }, /MAX_BATCH must be an integer from 1/],
    [{ MAX_BATCH: '1e3' }, /MAX_BATCH must be an integer/],
    [{ SHED_MAX_EVENT_LOOP_UTILIZATION: '1.5' }, /SHED_MAX_EVENT_LOOP_UTILIZATION must be a number from 0 to 1/],
    [{ DRAIN_DELAY_MS: '30000', GRACE_PERIOD_MS: '20000' }, /DRAIN_DELAY_MS \(30000\) must be shorter than GRACE_PERIOD_MS \(20000\)/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), message, JSON.stringify(env))
    t.throws(() => loadConfig(env), { name: 'ConfigError' })
  }
})

t.test('docs/configuration.md documents every variable with its default', async (t) => {
  const page = readFileSync('docs/configuration.md', 'utf8')
  for (const [name, [defaultValue]] of Object.entries(ENVIRONMENT)) {
    const row = page.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
    t.ok(row, `${name} has a row in the configuration table`)
    if (row !== undefined && defaultValue !== '') t.match(row, `\`${defaultValue}\``, `${name} default`)
  }
})
