import { ApiError } from '../errors.js'
import type { Predictor } from '../inference/predictor.js'

export interface ModelParams { model: string, version?: string }

/** Checks that a path names the served model (and, when given, its version); 404 otherwise. */
export function checkModel (predictor: Predictor, { model, version }: ModelParams): void {
  if (model !== predictor.name) throw new ApiError(404, 'model_not_found', `model "${model}" not found: this server serves "${predictor.name}"`)
  if (version !== undefined && version !== predictor.version) {
    throw new ApiError(404, 'model_not_found', `model "${model}" version "${version}" not found: the loaded version is "${predictor.version}"`)
  }
}

export const modelParams = {
  type: 'object',
  required: ['model'],
  properties: {
    model: { type: 'string', description: 'model name' },
    version: { type: 'string', description: 'model version (the loaded version only)' }
  }
} as const
