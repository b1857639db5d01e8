/**
 * The schema of one input row: an array of the feature values in order, or an object keyed by feature
 * name. `type` is a union, so the array keywords apply to arrays and the object keywords to objects
 * and a bad row gets an error about its own shape.
 */
export function rowSchema (featureNames: readonly string[]) {
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
    examples: [[5.1, 3.5, 1.4, 0.2]]
  }
}

export function batchSchema (featureNames: readonly string[], maxBatch: number) {
  return {
    type: 'array',
    description: `1 to ${maxBatch} rows (MAX_BATCH); more rows get 413`,
    minItems: 1,
    maxItems: maxBatch,
    items: rowSchema(featureNames)
  }
}
