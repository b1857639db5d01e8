import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import type { RowInput } from '../inference/predictor.js'
import { errorResponses, timestamp } from '../schemas/common.js'
import { batchSchema, exampleRows, rowSchema } from '../schemas/rows.js'
import { batchJsonWriter } from './predict-json.js'

type PredictBody = { features: RowInput, instances?: undefined } | { instances: RowInput[], features?: undefined }

/** POST /predict: one row (`features`) or a batch (`instances`). */
export default async function predictRoutes (app: FastifyInstance, { predictor, config }: AppContext) {
  const { classes, featureNames } = predictor
  const [low, high] = exampleRows(predictor.model.artifact.features)
  const probabilities = {
    type: 'object',
    description: 'probability of each class (the mean of the trees\' leaf distributions)',
    properties: Object.fromEntries(classes.map((name) => [name, { type: 'number' }]))
  }
  const prediction = {
    prediction: { type: 'integer', description: `class index: ${classes.map((c, i) => `${i} = ${c}`).join(', ')}` },
    class: { type: 'string', enum: [...classes] },
    probabilities,
    confidence: { type: 'number', description: 'the probability of the predicted class' }
  }

  const batchJson = batchJsonWriter(classes)

  app.post<{ Body: PredictBody }>('/predict', {
    config: { shapeHint: 'send exactly one of "features" (one row) or "instances" (a batch)' },
    schema: {
      tags: ['predict'],
      summary: 'Classify one flower or a batch',
      description: `Send \`{"features": [...]}\` for one row or \`{"instances": [[...], ...]}\` for up to ${config.maxBatch} rows. ` +
        `A row is ${featureNames.length} finite numbers (${featureNames.join(', ')}) or an object keyed by those names.`,
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        not: { type: 'object', required: ['features', 'instances'] },
        properties: { features: rowSchema(featureNames, low), instances: batchSchema(featureNames, config.maxBatch, low) },
        examples: [{ features: low }, { instances: [low, Object.fromEntries(featureNames.map((name, j) => [name, high[j]]))] }]
      },
      response: {
        200: {
          type: 'object',
          description: 'One row: prediction, class, probabilities and confidence at the top level. A batch: `predictions`, one entry per row.',
          properties: {
            ...prediction,
            predictions: { type: 'array', items: { type: 'object', properties: prediction } },
            processing_time_ms: { type: 'number', description: 'time spent in the model, in milliseconds' },
            timestamp
          }
        },
        ...errorResponses(400, 413, 415, 503)
      }
    }
  }, async (request, reply) => {
    const { features, instances } = request.body
    if (instances !== undefined) {
      const predictions = predictor.predict(predictor.toMatrix(instances), instances.length)
      return reply.type('application/json; charset=utf-8').send(batchJson(predictions, new Date().toISOString()))
    }
    const { probabilities, classIndices: [index], elapsedMs } = predictor.predict(predictor.toMatrix([features]), 1)
    return {
      prediction: index,
      class: classes[index],
      probabilities: Object.fromEntries(classes.map((name, c) => [name, probabilities[c]])),
      confidence: probabilities[index],
      processing_time_ms: elapsedMs,
      timestamp: new Date().toISOString()
    }
  })
}
