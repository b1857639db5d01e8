import type { FastifyInstance, HTTPMethods } from 'fastify'
import type { AppMetrics } from '../metrics/app-metrics.js'
import { sendError } from './error-handler.js'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']

/**
 * Answers 405 with an `Allow` header on a known path called with a method it does not take (Fastify
 * alone answers 404). Call it before the routes are registered: it collects them as they are added,
 * and returns the plugin to register after the last route, which adds one hidden route per path for
 * the missing methods.
 */
export function methodNotAllowed (app: FastifyInstance, metrics?: AppMetrics): (scope: FastifyInstance) => Promise<void> {
  const paths = new Map<string, { allowed: Set<string>, metricsRoute?: string }>()
  app.addHook('onRoute', (route) => {
    if (route.config?.methodNotAllowed === true) return
    const path = paths.get(route.url) ?? { allowed: new Set<string>(), metricsRoute: route.config?.metricsRoute }
    for (const method of [route.method].flat()) path.allowed.add(method)
    paths.set(route.url, path)
  })
  return async function addMethodNotAllowedRoutes (scope) {
    for (const [url, { allowed, metricsRoute }] of paths) {
      const missing = METHODS.filter((method) => !allowed.has(method))
      if (missing.length === 0) continue
      const allow = [...allowed].join(', ')
      scope.route({
        method: missing,
        url,
        config: { methodNotAllowed: true, metricsRoute, metricsOnFirstResponse: true },
        schema: { hide: true, response: { 405: { $ref: 'ErrorResponse#' } } },
        handler: async (request, reply) => {
          const error = `method ${request.method} not allowed on ${request.url.split('?')[0]}: use ${allow}`
          return sendError(request, reply.header('allow', allow), { status: 405, type: 'method_not_allowed', body: { error } }, metrics)
        }
      })
    }
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    methodNotAllowed?: boolean
  }
}
