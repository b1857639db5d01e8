import type { FastifyInstance, HTTPMethods } from 'fastify'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']

/**
 * Answers 405 with an `Allow` header on a known path called with a method it does not take (Fastify
 * alone answers 404). Call it before the routes are registered: it collects them as they are added,
 * and returns the plugin to register after the last route, which adds one hidden route per path for
 * the missing methods.
 */
export function methodNotAllowed (app: FastifyInstance): (scope: FastifyInstance) => Promise<void> {
  const paths = new Map<string, Set<string>>()
  app.addHook('onRoute', (route) => {
    if (route.config?.methodNotAllowed === true) return
    const methods = paths.get(route.url) ?? new Set<string>()
    for (const method of [route.method].flat()) methods.add(method)
    paths.set(route.url, methods)
  })
  return async function addMethodNotAllowedRoutes (scope) {
    for (const [url, allowed] of paths) {
      const missing = METHODS.filter((method) => !allowed.has(method))
      if (missing.length === 0) continue
      const allow = [...allowed].join(', ')
      scope.route({
        method: missing,
        url,
        config: { methodNotAllowed: true },
        schema: { hide: true },
        handler: async (request, reply) => reply.status(405).header('allow', allow)
          .send({ error: `method ${request.method} not allowed on ${request.url.split('?')[0]}: use ${allow}` })
      })
    }
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    methodNotAllowed?: boolean
  }
}
