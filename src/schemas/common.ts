/** JSON schemas shared by the routes. They validate requests, serialise responses and make the OpenAPI document. */

export const errorResponse = {
  $id: 'ErrorResponse',
  type: 'object',
  description: 'An error. `details` (when present) names each offending field and the rule it broke.',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: {
          field: { type: 'string', description: 'JSON pointer into the request body, e.g. /features/2' },
          rule: { type: 'string', description: 'the JSON-schema keyword that failed, e.g. type, minItems' },
          message: { type: 'string' }
        }
      }
    }
  }
} as const

export const timestamp = { type: 'string', format: 'date-time', description: 'ISO-8601, UTC' } as const

/** Error responses every route can give, referenced by $id so the OpenAPI document lists them once. */
export const errorResponses = (...codes: number[]): Record<number, { $ref: string }> =>
  Object.fromEntries(codes.map((code) => [code, { $ref: 'ErrorResponse#' }]))
