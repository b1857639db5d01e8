import { randomUUID } from 'node:crypto'
import bearerAuth from '@fastify/bearer-auth'
import underPressure from '@fastify/under-pressure'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { type Logger, pino } from 'pino'
import { Registry } from 'prom-client'
import type { Config } from './config.js'
import type { AppContext } from './context.js'
import { Predictor } from './inference/predictor.js'
import { Lifecycle } from './lifecycle.js'
import type { LoadedModel } from './model/load-model.js'
import docs from './plugins/docs.js'
import errorHandler, { sendError } from './plugins/error-handler.js'
import { jsonBodiesOnly } from './plugins/json-bodies.js'
import { methodNotAllowed } from './plugins/method-not-allowed.js'
import { AppMetrics } from './metrics/app-metrics.js'
import { collectProcessMetrics } from './metrics/process-metrics.js'
import { httpMetrics, metricsRoute } from './plugins/metrics.js'
import kserveV1Routes from './routes/kserve-v1.js'
import modelInfoRoutes from './routes/model-info.js'
import openInferenceRoutes from './routes/open-inference.js'
import predictRoutes from './routes/predict.js'
import probeRoutes from './routes/probes.js'
import { errorResponse } from './schemas/common.js'
import { SERVER_NAME, SERVER_VERSION } from './version.js'

export interface AppOptions {
  config: Config
  model: LoadedModel
  /** Shared with the process entry point, which drains on SIGTERM. */
  lifecycle?: Lifecycle
  registry?: Registry
  /** The server's logger; by default JSON lines on stdout at `LOG_LEVEL`. `false`: no logs. */
  logger?: Logger | false
  /**
   * Check every route schema against the JSON-schema meta-schema. The schemas are fixed in the code, so a
   * test turns this on and the server skips it: compiling the meta-schema is a tenth of the start-up.
   */
  validateSchemas?: boolean
}

const REQUEST_ID = /^[\w.:-]{1,128}$/

/**
 * Security headers that apply to a JSON API (OWASP REST Security Cheat Sheet), and a same-origin CORP.
 * Referrer-Policy governs what a document sends as it loads or links: only the HTML of /docs is one. Each
 * header costs Node a validation and a copy on every response.
 */
const API_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin'
}
const DOCS_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' }

/** Builds the server without listening: the process entry point listens, tests use inject. */
export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const { config, model } = options
  const lifecycle = options.lifecycle ?? new Lifecycle()
  const registry = options.registry ?? new Registry()
  if (options.registry === undefined) collectProcessMetrics(registry, { gcDuration: config.metricsGcDuration })

  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: (options.logger ?? pino({ level: config.logLevel })) as FastifyBaseLogger }),
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    bodyLimit: config.bodyLimit,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    },
    // Start-up work that serving does not need: ajv's optimisation pass over the generated code (V8 optimises
    // the validators either way) and the check of each schema against the meta-schema (tests do it once).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, allowUnionTypes: true, validateSchema: options.validateSchemas ?? false, code: { optimize: false } } }
  })
  jsonBodiesOnly(app)

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    // Swagger UI (/docs) is an HTML page with its own scripts; everything else is JSON that no page should embed or run.
    reply.headers(request.url.startsWith('/docs') ? DOCS_HEADERS : API_HEADERS)
    // While draining, every response asks the client to drop the connection, so reused sockets move elsewhere.
    if (lifecycle.draining) reply.header('connection', 'close')
    done()
  })

  const metrics = config.metricsEnabled ? new AppMetrics(registry, model) : undefined
  const context: AppContext = {
    config,
    predictor: new Predictor(model, metrics),
    lifecycle,
    server: { name: SERVER_NAME, version: SERVER_VERSION }
  }

  app.addSchema(errorResponse)
  await app.register(errorHandler, { bodyLimit: config.bodyLimit, metrics })
  if (metrics) await app.register(httpMetrics, { metrics })
  await app.register(docs, { version: SERVER_VERSION, model: model.artifact.model })
  const addMethodNotAllowedRoutes = methodNotAllowed(app, metrics)

  await app.register(probeRoutes, context)
  await app.register(metricsRoute, { registry })
  // Load shedding covers the model routes only: probes, metrics and docs answer under pressure.
  await app.register(async function sheddable (api) {
    await api.register(underPressure, {
      maxEventLoopDelay: config.shedding.maxEventLoopDelayMs,
      maxEventLoopUtilization: config.shedding.maxEventLoopUtilization,
      // Utilisation over the last sample interval: the default (since start) counts the busy start-up
      // against the first requests, and later reacts to overload only slowly.
      eventLoopUtilizationMode: 'interval',
      maxHeapUsedBytes: config.shedding.maxHeapUsedBytes,
      maxRssBytes: config.shedding.maxRssBytes,
      sampleInterval: config.shedding.sampleIntervalMs,
      pressureHandler: (request, reply, type) => {
        metrics?.countShed(type)
        reply.header('retry-after', String(config.shedding.retryAfterSeconds))
        sendError(request, reply, { status: 503, type: 'shed', body: { error: 'server under pressure: retry later' } }, metrics)
      }
    })
    await api.register(modelInfoRoutes, context)
    await api.register(async function predictionRoutes (scope) {
      if (config.apiToken !== undefined) {
        await scope.register(bearerAuth, {
          keys: [config.apiToken],
          verifyErrorLogLevel: 'info',
          errorResponse: (err: Error) => {
            metrics?.countError('unauthorized')
            return { error: err.message === 'missing authorization header' ? 'missing bearer token: send Authorization: Bearer <API_TOKEN>' : 'invalid bearer token' }
          }
        })
      }
      await scope.register(predictRoutes, context)
      await scope.register(kserveV1Routes, context)
      await scope.register(openInferenceRoutes, context)
    })
  })
  await app.register(addMethodNotAllowedRoutes)
  return app
}
