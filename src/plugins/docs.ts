import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The OpenAPI 3.1 document, generated from the route schemas, at /openapi.json; Swagger UI at /docs; and at
 * `/` a small index for whoever opens the server's address, pointing at both.
 */
export default fp(async function docs (app: FastifyInstance, opts: { version: string, model: { name: string, dataset: string } }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ml-api',
        version: opts.version,
        description: `A random-forest classifier (model "${opts.model.name}", trained on ${opts.model.dataset}): its own JSON API, KServe V1 and the Open Inference Protocol (KServe V2).`
      },
      tags: [
        { name: 'predict', description: 'Classify rows' },
        { name: 'model', description: 'The served model' },
        { name: 'probes', description: 'Liveness and readiness' },
        { name: 'kserve v1', description: 'KServe V1 data plane' },
        { name: 'open inference protocol', description: 'Open Inference Protocol (KServe V2) REST' },
        { name: 'operations', description: 'Metrics and documents' }
      ]
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { url: '/openapi.json' } })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  const index = { name: 'ml-api', version: opts.version, docs: '/docs', openapi: '/openapi.json', health: '/health', ready: '/ready', info: '/info', metrics: '/metrics' }
  app.get('/', {
    schema: {
      tags: ['operations'],
      summary: 'Where to start: the API documentation and the main routes',
      response: {
        200: {
          type: 'object',
          required: Object.keys(index),
          properties: Object.fromEntries(Object.keys(index).map((key) => [key, { type: 'string' }]))
        }
      }
    }
  }, async () => index)
}, { name: 'docs' })
