import { parseInteger } from './parse-integer.js'

/** Server configuration, read from the environment and validated at start. */
export interface Config {
  host: string
  port: number
  metricsPort: number | undefined
  modelPath: string
  modelSha256: string | undefined
  apiToken: string | undefined
  logLevel: string
  logRequests: boolean
  metricsEnabled: boolean
  metricsGcDuration: boolean
  bodyLimit: number
  maxBatch: number
  keepAliveTimeoutMs: number
  drainDelayMs: number
  gracePeriodMs: number
  shedding: {
    maxEventLoopDelayMs: number
    maxEventLoopUtilization: number
    maxHeapUsedBytes: number
    maxRssBytes: number
    retryAfterSeconds: number
    sampleIntervalMs: number
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Every variable, its default and what it means: docs/configuration.md's table is checked against this. */
export const ENVIRONMENT = {
  HOST: ['127.0.0.1', 'address to listen on (0.0.0.0 to accept connections from other hosts, as in a container)'],
  PORT: ['8080', 'port of the API'],
  METRICS_PORT: ['', 'when set, /metrics is also served on this port (and still on PORT)'],
  METRICS_ENABLED: ['true', 'record request and model metrics (false leaves only the process metrics on /metrics)'],
  METRICS_GC_DURATION: ['false', 'also record nodejs_gc_duration_seconds, the duration of every garbage collection: off by default, as observing collections slows the requests that meet one'],
  MODEL_PATH: ['models/iris-rf.json', 'model artifact to serve'],
  MODEL_SHA256: ['', 'when set, the artifact must have this sha256 or the server refuses to start'],
  API_TOKEN: ['', 'when set, the prediction routes require Authorization: Bearer <token> (401 otherwise); probes, metrics, /info and docs stay open'],
  LOG_LEVEL: ['info', `one of ${LOG_LEVELS.join(', ')}`],
  LOG_REQUESTS: ['false', 'log every request and response (off the hot path by default; errors are always logged)'],
  BODY_LIMIT: ['1048576', 'largest request body in bytes; larger bodies get 413'],
  MAX_BATCH: ['1000', 'most rows in one request; more get 413'],
  KEEP_ALIVE_TIMEOUT_MS: ['65000', 'idle keep-alive connections are closed after this (above common load-balancer idle timeouts)'],
  DRAIN_DELAY_MS: ['5000', 'after SIGTERM, how long /ready answers 503 while requests are still served, before the listener closes'],
  GRACE_PERIOD_MS: ['25000', 'after SIGTERM, the most the whole shutdown may take before the process exits 1'],
  SHED_MAX_EVENT_LOOP_DELAY_MS: ['200', 'shed load (503) when the mean event-loop delay over a sample passes this: requests are queueing; 0 turns the check off'],
  SHED_MAX_EVENT_LOOP_UTILIZATION: ['0', 'shed load when event-loop utilisation passes this (0-1); 0 (the default) turns it off: a busy loop is not a slow one'],
  SHED_MAX_HEAP_USED_BYTES: ['0', 'shed load when the V8 heap passes this; 0 turns it off'],
  SHED_MAX_RSS_BYTES: ['0', 'shed load when the resident set passes this; 0 turns it off'],
  SHED_RETRY_AFTER_SECONDS: ['1', 'Retry-After of a shed request'],
  SHED_SAMPLE_INTERVAL_MS: ['1000', 'how often event-loop delay, utilisation and memory are sampled']
} as const satisfies Record<string, readonly [string, string]>

type Variable = keyof typeof ENVIRONMENT

function reader (env: Env) {
  const raw = (name: Variable): string => {
    const value = env[name]
    return value === undefined || value.trim() === '' ? ENVIRONMENT[name][0] : value.trim()
  }
  const integer = (name: Variable, min: number, max: number): number => {
    const value = raw(name)
    const n = parseInteger(value, min, max)
    if (n === undefined) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${value}"`)
    return n
  }
  const fraction = (name: Variable): number => {
    const value = raw(name)
    const n = Number(value)
    if (value === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${name} must be a number from 0 to 1, got "${value}"`)
    return n
  }
  return { raw, integer, fraction }
}

export function loadConfig (env: Env): Config {
  const { raw, integer, fraction } = reader(env)
  const port = integer('PORT', 0, 65535)
  const metricsPort = raw('METRICS_PORT') === '' ? undefined : integer('METRICS_PORT', 1, 65535)
  if (metricsPort !== undefined && metricsPort === port) throw new ConfigError('METRICS_PORT must differ from PORT')
  const sha = raw('MODEL_SHA256')
  if (sha !== '' && !/^[0-9a-fA-F]{64}$/.test(sha)) throw new ConfigError(`MODEL_SHA256 must be 64 hexadecimal digits, got "${sha}"`)
  const apiToken = raw('API_TOKEN')
  if (apiToken !== '' && !/^[\x21-\x7e]{16,512}$/.test(apiToken)) throw new ConfigError('API_TOKEN must be 16 to 512 visible ASCII characters')
  const logLevel = raw('LOG_LEVEL')
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  const boolean = (name: 'LOG_REQUESTS' | 'METRICS_ENABLED' | 'METRICS_GC_DURATION'): boolean => {
    const value = raw(name)
    if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false, got "${value}"`)
    return value === 'true'
  }
  const drainDelayMs = integer('DRAIN_DELAY_MS', 0, 600_000)
  const gracePeriodMs = integer('GRACE_PERIOD_MS', 1, 3_600_000)
  if (drainDelayMs >= gracePeriodMs) {
    throw new ConfigError(`DRAIN_DELAY_MS (${drainDelayMs}) must be shorter than GRACE_PERIOD_MS (${gracePeriodMs}), or in-flight requests get no time to finish`)
  }
  return {
    host: raw('HOST'),
    port,
    metricsPort,
    modelPath: raw('MODEL_PATH'),
    modelSha256: sha === '' ? undefined : sha.toLowerCase(),
    apiToken: apiToken === '' ? undefined : apiToken,
    logLevel,
    logRequests: boolean('LOG_REQUESTS'),
    metricsEnabled: boolean('METRICS_ENABLED'),
    metricsGcDuration: boolean('METRICS_GC_DURATION'),
    bodyLimit: integer('BODY_LIMIT', 1024, 1024 ** 3),
    maxBatch: integer('MAX_BATCH', 1, 1_000_000),
    keepAliveTimeoutMs: integer('KEEP_ALIVE_TIMEOUT_MS', 1, 3_600_000),
    drainDelayMs,
    gracePeriodMs,
    shedding: {
      maxEventLoopDelayMs: integer('SHED_MAX_EVENT_LOOP_DELAY_MS', 0, 600_000),
      maxEventLoopUtilization: fraction('SHED_MAX_EVENT_LOOP_UTILIZATION'),
      maxHeapUsedBytes: integer('SHED_MAX_HEAP_USED_BYTES', 0, Number.MAX_SAFE_INTEGER),
      maxRssBytes: integer('SHED_MAX_RSS_BYTES', 0, Number.MAX_SAFE_INTEGER),
      retryAfterSeconds: integer('SHED_RETRY_AFTER_SECONDS', 1, 3600),
      sampleIntervalMs: integer('SHED_SAMPLE_INTERVAL_MS', 10, 60_000)
    }
  }
}
