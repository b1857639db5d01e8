/**
 * The schema of one input row: an array of the feature values in order, or an object keyed by feature
 * name. `type` is a union, so the array keywords apply to arrays and the object keywords to objects
 * and a bad row gets an error about its own shape.
 */
/**
 * Two rows for the OpenAPI examples, from the served model's training ranges: each feature 30 % and 70 % of
 * the way from its minimum to its maximum.
 */
export function exampleRows (features: readonly { min: number, max: number }[]): [number[], number[]] {
  const at = (fraction: number) => features.map((f) => Math.round((f.min + fraction * (f.max - f.min)) * 100) / 100)
  return [at(0.3), at(0.7)]
}

export function rowSchema (featureNames: readonly string[], example: number[]) {
  const value = { type: 'number' } // ajv's number excludes NaN and ±Infinity (1e999 parses to Infinity)
  return {
    type: ['array', 'object'],
    description: `${featureNames.length} finite numbers in the order ${featureNames.join(', ')}, or an object keyed by those names`,
    items: value,
    minItems: featureNames.length,
    maxItems: featureNames.length,
    properties: Object.fromEntries(featureNames.map((name) => [name, value])),
    required: [...featureNames],
    additionalProperties: false,
    examples: [example]
  }
}

export function batchSchema (featureNames: readonly string[], maxBatch: number, example: number[]) {
  return {
    type: 'array',
    description: `1 to ${maxBatch} rows (MAX_BATCH); more rows get 413`,
    minItems: 1,
    maxItems: maxBatch,
    items: rowSchema(featureNames, example)
  }
}
