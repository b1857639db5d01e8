import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import type { RowInput } from '../inference/predictor.js'
import { errorResponses } from '../schemas/common.js'
import { batchSchema, exampleRows } from '../schemas/rows.js'
import { checkModel, type ModelParams, modelParams } from './model-lookup.js'

/** KServe V1 data plane: POST /v1/models/<name>:predict. */
export default async function kserveV1Routes (app: FastifyInstance, { predictor, config }: AppContext) {
  const nClasses = predictor.classes.length
  const examples = exampleRows(predictor.model.artifact.features)
  // The literal colon is written "::"; the regular expression keeps the name from swallowing ":predict".
  app.post<{ Params: ModelParams, Body: { instances: RowInput[] }, Querystring: { probabilities?: 'true' | 'false' } }>(
    '/v1/models/:model(^[^:/]+)::predict', {
      config: { metricsRoute: '/v1/models/:model:predict' },
      schema: {
        tags: ['kserve v1'],
        summary: 'Predict (KServe V1)',
        description: 'Returns the class index of each instance; with `?probabilities=true`, the class probabilities of each instance instead ' +
          `(in the order ${predictor.classes.join(', ')}).`,
        params: modelParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { probabilities: { type: 'string', enum: ['true', 'false'], description: 'true: answer class probabilities instead of class indices' } }
        },
        body: {
          type: 'object',
          required: ['instances'],
          additionalProperties: false,
          properties: { instances: batchSchema(predictor.featureNames, config.maxBatch, examples[0]) },
          examples: [{ instances: examples }]
        },
        response: {
          200: {
            type: 'object',
            required: ['predictions'],
            properties: { predictions: { type: 'array', items: { type: ['integer', 'array'], items: { type: 'number' } } } }
          },
          ...errorResponses(400, 404, 413, 415, 503)
        }
      }
    }, async (request) => {
      checkModel(predictor, request.params)
      const { instances } = request.body
      const predictions = predictor.predict(predictor.toMatrix(instances), instances.length)
      if (request.query.probabilities === 'true') {
        return { predictions: instances.map((_, r) => Array.from(predictions.probabilities.subarray(r * nClasses, (r + 1) * nClasses))) }
      }
      return { predictions: Array.from(predictions.classIndices) }
    })
}
