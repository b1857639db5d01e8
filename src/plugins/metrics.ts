import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'

/** GET /metrics: the Prometheus text exposition of the registry. */
export async function metricsRoute (app: FastifyInstance, { registry }: { registry: Registry }) {
  app.get('/metrics', {
    logLevel: 'warn',
    schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] }
  }, async (_request, reply) => {
    const body = await registry.metrics()
    return reply.type(registry.contentType).send(body)
  })
}
