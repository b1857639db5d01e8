import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { ApiError } from '../errors.js'
import { errorResponses } from '../schemas/common.js'
import { exampleRows } from '../schemas/rows.js'
import { checkModel, type ModelParams, modelParams } from './model-lookup.js'

type Parameters = Record<string, string | number | boolean>

interface InferRequest {
  id?: string
  parameters?: Parameters
  inputs: { name: string, shape: number[], datatype: 'FP32' | 'FP64', parameters?: Parameters, data: (number | number[])[] }[]
  outputs?: { name: 'predict' | 'predict_proba', parameters?: Parameters }[]
}

const parameters = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } }

/** Open Inference Protocol (KServe V2) inference: POST /v2/models/<name>[/versions/<v>]/infer. */
export default async function openInferenceRoutes (app: FastifyInstance, { predictor, config }: AppContext) {
  const nFeatures = predictor.featureNames.length
  const nClasses = predictor.classes.length

  /** Row-major rows from the tensor's data, nested ([[...], ...]) or flat, checked against its shape. */
  function toMatrix (input: InferRequest['inputs'][number]): { matrix: Float64Array, rows: number } {
    const [rows, columns] = input.shape
    if (columns !== nFeatures) throw new ApiError(400, 'validation', `input "${input.name}" must have shape [N, ${nFeatures}], got [${input.shape.join(', ')}]`)
    if (rows < 1) throw new ApiError(400, 'validation', `input "${input.name}" must have at least one row`)
    if (rows > config.maxBatch) throw new ApiError(413, 'batch_too_large', `batch too large: ${rows} rows, at most ${config.maxBatch} (MAX_BATCH)`)
    const { data } = input
    const nested = data.length > 0 && Array.isArray(data[0])
    const matrix = new Float64Array(rows * nFeatures)
    if (nested) {
      if (data.length !== rows) throw new ApiError(400, 'validation', `input "${input.name}" has ${data.length} rows of data, its shape says ${rows}`)
      data.forEach((row, r) => {
        if (!Array.isArray(row) || row.length !== nFeatures) {
          throw new ApiError(400, 'validation', `input "${input.name}" row ${r} must be an array of ${nFeatures} numbers`)
        }
        matrix.set(row, r * nFeatures)
      })
    } else {
      if (data.length !== rows * nFeatures) {
        throw new ApiError(400, 'validation', `input "${input.name}" has ${data.length} values, its shape [${input.shape.join(', ')}] needs ${rows * nFeatures}`)
      }
      data.forEach((value, i) => {
        if (typeof value !== 'number') throw new ApiError(400, 'validation', `input "${input.name}" mixes nested and flat data at index ${i}`)
        matrix[i] = value
      })
    }
    return { matrix, rows }
  }

  const schema = {
    tags: ['open inference protocol'],
    summary: 'Inference (Open Inference Protocol / KServe V2)',
    description: `One input tensor, FP32 or FP64, shape [N, ${nFeatures}] with N up to ${config.maxBatch}, data nested or flat (row-major). ` +
      'Outputs: `predict` (INT64 class indices, shape [N]) by default; `predict_proba` (FP32, shape [N, ' + nClasses + ']) when named in `outputs`. ' +
      'The request `id` is echoed (the request id is used when absent).',
    params: modelParams,
    body: {
      type: 'object',
      required: ['inputs'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', maxLength: 256 },
        parameters,
        inputs: {
          type: 'array',
          minItems: 1,
          maxItems: 1,
          items: {
            type: 'object',
            required: ['name', 'shape', 'datatype', 'data'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', maxLength: 256 },
              shape: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer', minimum: 0 } },
              datatype: { type: 'string', enum: ['FP32', 'FP64'] },
              parameters,
              data: { type: 'array', items: { type: ['number', 'array'], items: { type: 'number' } } }
            }
          }
        },
        outputs: {
          type: 'array',
          maxItems: 2,
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string', enum: ['predict', 'predict_proba'] }, parameters }
          }
        }
      },
      examples: [{
        id: '42',
        inputs: [{ name: 'input-0', shape: [2, nFeatures], datatype: 'FP32', data: exampleRows(predictor.model.artifact.features) }],
        outputs: [{ name: 'predict' }, { name: 'predict_proba' }]
      }]
    },
    response: {
      200: {
        type: 'object',
        required: ['model_name', 'outputs'],
        properties: {
          model_name: { type: 'string' },
          model_version: { type: 'string' },
          id: { type: 'string' },
          outputs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'shape', 'datatype', 'data'],
              properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, data: { type: 'array', items: { type: 'number' } } }
            }
          }
        }
      },
      ...errorResponses(400, 404, 413, 415, 503)
    }
  }

  const infer = async (request: { params: ModelParams, body: InferRequest, id: string }) => {
    checkModel(predictor, request.params)
    const { body } = request
    const { matrix, rows } = toMatrix(body.inputs[0])
    const wanted = body.outputs?.map((o) => o.name) ?? ['predict']
    const predictions = predictor.predict(matrix, rows)
    return {
      model_name: predictor.name,
      model_version: predictor.version,
      id: body.id ?? request.id,
      outputs: [...new Set(wanted)].map((name) => name === 'predict'
        ? { name, datatype: 'INT64', shape: [rows], data: Array.from(predictions.classIndices) }
        : { name, datatype: 'FP32', shape: [rows, nClasses], data: Array.from(predictions.probabilities, Math.fround) })
    }
  }
  for (const url of ['/v2/models/:model/infer', '/v2/models/:model/versions/:version/infer']) {
    app.post<{ Params: ModelParams, Body: InferRequest }>(url, { config: { oipErrors: true }, schema }, infer)
  }
}
