import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { errorResponses } from '../schemas/common.js'
import { checkModel, type ModelParams, modelParams } from './model-lookup.js'

const OIP = 'open inference protocol'

/** /info, the KServe V1 model status and the Open Inference Protocol metadata routes. */
export default async function modelInfoRoutes (app: FastifyInstance, { predictor, server }: AppContext) {
  const { artifact, sha256 } = predictor.model
  const nFeatures = artifact.features.length
  const nClasses = artifact.classes.length

  const info = {
    model: artifact.model.algorithm,
    dataset: artifact.model.dataset,
    accuracy: artifact.metrics.holdout_accuracy,
    classes: artifact.classes,
    features: artifact.features.map((f) => f.name),
    name: artifact.model.name,
    version: artifact.model.version,
    sha256,
    cv_accuracy: artifact.metrics.cv_accuracy_mean,
    cv_accuracy_std: artifact.metrics.cv_accuracy_std,
    feature_ranges: Object.fromEntries(artifact.features.map((f) => [f.name, { min: f.min, max: f.max }])),
    hyperparameters: artifact.hyperparameters,
    trained_with: artifact.trained_with
  }
  const numberMap = { type: 'object', additionalProperties: { type: 'number' } }
  app.get('/info', {
    schema: {
      tags: ['model'],
      summary: 'The served model: accuracy, classes, features, version and provenance',
      description: '`accuracy` is the hold-out accuracy of this model; `cv_accuracy` the mean of stratified 5-fold cross-validation.',
      response: {
        200: {
          type: 'object',
          properties: {
            model: { type: 'string' },
            dataset: { type: 'string' },
            accuracy: { type: 'number' },
            classes: { type: 'array', items: { type: 'string' } },
            features: { type: 'array', items: { type: 'string' } },
            name: { type: 'string' },
            version: { type: 'string' },
            sha256: { type: 'string' },
            cv_accuracy: { type: 'number' },
            cv_accuracy_std: { type: 'number' },
            feature_ranges: { type: 'object', additionalProperties: { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } } } },
            hyperparameters: numberMap,
            trained_with: { type: 'object', additionalProperties: { type: 'string' } }
          }
        }
      }
    }
  }, async () => info)

  const modelReady = { type: 'object', required: ['name', 'ready'], properties: { name: { type: 'string' }, ready: { type: 'boolean' } } }

  app.get('/v1/models', {
    schema: {
      tags: ['kserve v1'],
      summary: 'List models',
      response: { 200: { type: 'object', properties: { models: { type: 'array', items: { type: 'string' } } } } }
    }
  }, async () => ({ models: [predictor.name] }))

  app.get<{ Params: ModelParams }>('/v1/models/:model', {
    schema: { tags: ['kserve v1'], summary: 'Model status', params: modelParams, response: { 200: modelReady, ...errorResponses(404) } }
  }, async (request) => {
    checkModel(predictor, request.params)
    return { name: predictor.name, ready: true }
  })

  app.get('/v2', {
    config: { oipErrors: true },
    schema: {
      tags: [OIP],
      summary: 'Server metadata',
      response: {
        200: {
          type: 'object',
          required: ['name', 'version', 'extensions'],
          properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } }
        }
      }
    }
  }, async () => ({ name: server.name, version: server.version, extensions: [] }))

  const tensor = { type: 'object', properties: { name: { type: 'string' }, datatype: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } } } }
  const metadata = {
    name: predictor.name,
    versions: [predictor.version],
    platform: 'ml-api_random-forest',
    inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, nFeatures] }],
    outputs: [
      { name: 'predict', datatype: 'INT64', shape: [-1] },
      { name: 'predict_proba', datatype: 'FP32', shape: [-1, nClasses] }
    ]
  }
  const metadataSchema = {
    tags: [OIP],
    summary: 'Model metadata',
    description: 'Inputs: one FP32 or FP64 tensor of shape [N, 4] (FP64 accepted too). Outputs: `predict` (class index), `predict_proba` (class probabilities, on request).',
    params: modelParams,
    response: {
      200: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          versions: { type: 'array', items: { type: 'string' } },
          platform: { type: 'string' },
          inputs: { type: 'array', items: tensor },
          outputs: { type: 'array', items: tensor }
        }
      },
      ...errorResponses(404)
    }
  }
  for (const url of ['/v2/models/:model', '/v2/models/:model/versions/:version']) {
    app.get<{ Params: ModelParams }>(url, { config: { oipErrors: true }, schema: metadataSchema }, async (request) => {
      checkModel(predictor, request.params)
      return metadata
    })
    app.get<{ Params: ModelParams }>(`${url}/ready`, {
      config: { oipErrors: true },
      schema: { tags: [OIP], summary: 'Model ready', params: modelParams, response: { 200: modelReady, ...errorResponses(404) } }
    }, async (request) => {
      checkModel(predictor, request.params)
      return { name: predictor.name, ready: true }
    })
  }
}
