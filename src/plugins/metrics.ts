import type { FastifyInstance, onRequestHookHandler, onResponseHookHandler, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Registry } from 'prom-client'
import type { AppMetrics } from '../metrics/app-metrics.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Leave this route out of the HTTP metrics (the /metrics route itself). */
    disableMetrics?: boolean
    /** The route's label in the metrics, when its URL pattern is not readable. */
    metricsRoute?: string
    /**
     * Start this route's series on its first response, not at 0 for every status it declares: for routes
     * that answer only mistakes (the hidden 405 routes), whose series at 0 would be half the exposition.
     */
    metricsOnFirstResponse?: boolean
  }
}

/**
 * Records RED metrics for every route: in flight, count and duration by method, route and status.
 * The hooks are bound to each route when it is registered, with its label and series, so a request
 * looks nothing up (Fastify builds a new object on every read of request.routeOptions).
 * Unmatched URLs are counted by the not-found handler, as route "unmatched".
 */
export const httpMetrics = fp(async function httpMetrics (app: FastifyInstance, { metrics }: { metrics: AppMetrics }) {
  const onRequest: onRequestHookHandler = (_request, reply, done) => {
    metrics.requestStarted()
    // 'close' fires once per response, also when the client goes away before it is sent.
    reply.raw.on('close', metrics.requestEnded)
    done()
  }
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.disableMetrics === true) return
    // The route pattern (never the raw URL, so cardinality stays bounded), or a readable override.
    const label = route.config?.metricsRoute ?? route.url
    const declared = Object.keys(route.schema?.response ?? {}).map(Number).filter(Number.isInteger)
    const atZero = route.config?.metricsOnFirstResponse === true ? [] : declared.length > 0 ? declared : [200]
    const recorders = Object.fromEntries([route.method].flat().map((method) =>
      [method, metrics.routeRecorder(method, label, method === 'HEAD' ? [] : atZero)]))
    const onResponse: onResponseHookHandler = (request, reply, done) => {
      recorders[request.method]?.(reply.statusCode, reply.elapsedTime / 1000)
      done()
    }
    route.onRequest = [onRequest, ...[route.onRequest ?? []].flat()]
    route.onResponse = [...[route.onResponse ?? []].flat(), onResponse]
  })
}, { name: 'http-metrics' })

/** GET /metrics: the Prometheus text exposition of the registry. */
export async function metricsRoute (app: FastifyInstance, { registry }: { registry: Registry }) {
  app.get('/metrics', {
    logLevel: 'warn',
    config: { disableMetrics: true },
    schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] }
  }, async (_request, reply) => {
    const body = await registry.metrics()
    return reply.type(registry.contentType).send(body)
  })
}
