import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Registry } from 'prom-client'
import type { AppMetrics } from '../metrics/app-metrics.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Leave this route out of the HTTP metrics (the /metrics route itself). */
    disableMetrics?: boolean
  }
}

/** The route label: the route pattern (never the raw URL, so cardinality stays bounded). */
function routeLabel (config: { metricsRoute?: string } | undefined, url: string | undefined): string {
  return config?.metricsRoute ?? url ?? 'unmatched'
}

/** Records RED metrics for every request: in flight, count and duration by method, route and status. */
export const httpMetrics = fp(async function httpMetrics (app: FastifyInstance, { metrics }: { metrics: AppMetrics }) {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.disableMetrics === true) return
    const declared = Object.keys(route.schema?.response ?? {}).map(Number).filter(Number.isInteger)
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') metrics.declareRoute(method, routeLabel(route.config, route.url), declared.length > 0 ? declared : [200])
    }
  })
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.disableMetrics !== true) {
      metrics.requestStarted()
      // 'close' fires once per response, also when the client goes away before it is sent.
      reply.raw.once('close', () => metrics.requestEnded())
    }
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    const { config, url } = request.routeOptions
    if (config?.disableMetrics !== true) metrics.observeRequest(request.method, routeLabel(config, url), reply.statusCode, reply.elapsedTime / 1000)
    done()
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
