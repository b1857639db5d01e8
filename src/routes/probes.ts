import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { timestamp } from '../schemas/common.js'

/** Liveness and readiness, in this server's format and the Open Inference Protocol's. Never shed. */
export default async function probeRoutes (app: FastifyInstance, { lifecycle }: AppContext) {
  const notReadyReason = (): string | undefined => (lifecycle.draining ? 'shutting down: draining connections' : undefined)

  app.get('/health', {
    schema: {
      tags: ['probes'],
      summary: 'Liveness: the process can answer',
      response: {
        200: {
          type: 'object',
          required: ['status', 'timestamp'],
          properties: { status: { type: 'string', enum: ['healthy'] }, timestamp },
          examples: [{ status: 'healthy', timestamp: '2026-11-28T10:00:00.000Z' }]
        }
      }
    }
  }, async () => ({ status: 'healthy', timestamp: new Date().toISOString() }))

  const readiness = {
    type: 'object',
    required: ['status', 'model_loaded', 'timestamp'],
    properties: {
      status: { type: 'string', enum: ['ready', 'not_ready'] },
      model_loaded: { type: 'boolean' },
      reason: { type: 'string' },
      timestamp
    }
  }
  app.get('/ready', {
    schema: {
      tags: ['probes'],
      summary: 'Readiness: the model is loaded and the server is not draining',
      response: { 200: readiness, 503: readiness }
    }
  }, async (_request, reply) => {
    const reason = notReadyReason()
    if (reason !== undefined) {
      return reply.status(503).send({ status: 'not_ready', model_loaded: true, reason, timestamp: new Date().toISOString() })
    }
    return { status: 'ready', model_loaded: true, timestamp: new Date().toISOString() }
  })

  app.get('/v2/health/live', {
    config: { oipErrors: true },
    schema: {
      tags: ['open inference protocol'],
      summary: 'Server live',
      response: { 200: { type: 'object', required: ['live'], properties: { live: { type: 'boolean' } } } }
    }
  }, async () => ({ live: true }))

  app.get('/v2/health/ready', {
    config: { oipErrors: true },
    schema: {
      tags: ['open inference protocol'],
      summary: 'Server ready',
      response: {
        200: { type: 'object', required: ['ready'], properties: { ready: { type: 'boolean' } } },
        503: { $ref: 'ErrorResponse#' }
      }
    }
  }, async (_request, reply) => {
    const reason = notReadyReason()
    if (reason !== undefined) return reply.status(503).send({ error: reason })
    return { ready: true }
  })
}
