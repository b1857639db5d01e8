/**
 * What each route must accept, written from the API's rules independently of the route schemas, so
 * the fuzz test can tell an invalid body that was accepted from a valid one.
 */
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const onlyKeys = (o: Record<string, unknown>, allowed: string[]) => Object.keys(o).every((k) => allowed.includes(k))

export function isRow (row: unknown): boolean {
  if (Array.isArray(row)) return row.length === 4 && row.every(isFinite)
  return isObject(row) && onlyKeys(row, FEATURES) && FEATURES.every((f) => isFinite(row[f]))
}

const isBatch = (v: unknown, max: number): boolean => Array.isArray(v) && v.length >= 1 && v.length <= max && v.every(isRow)

export function validPredict (body: unknown, maxBatch: number): boolean {
  if (!isObject(body) || Object.keys(body).length !== 1) return false
  if ('features' in body) return isRow(body.features)
  if ('instances' in body) return isBatch(body.instances, maxBatch)
  return false
}

export function validKserveV1 (body: unknown, maxBatch: number): boolean {
  return isObject(body) && onlyKeys(body, ['instances']) && isBatch(body.instances, maxBatch)
}

const isParameters = (v: unknown) => isObject(v) && Object.values(v).every((x) => ['string', 'number', 'boolean'].includes(typeof x) && (typeof x !== 'number' || Number.isFinite(x)))

export function validInfer (body: unknown, maxBatch: number): boolean {
  if (!isObject(body) || !onlyKeys(body, ['id', 'parameters', 'inputs', 'outputs'])) return false
  if (body.id !== undefined && !(typeof body.id === 'string' && body.id.length <= 256)) return false
  if (body.parameters !== undefined && !isParameters(body.parameters)) return false
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs) || body.outputs.length > 2) return false
    if (!body.outputs.every((o) => isObject(o) && onlyKeys(o, ['name', 'parameters']) && (o.name === 'predict' || o.name === 'predict_proba') &&
      (o.parameters === undefined || isParameters(o.parameters)))) return false
  }
  if (!Array.isArray(body.inputs) || body.inputs.length !== 1) return false
  const input = body.inputs[0]
  if (!isObject(input) || !onlyKeys(input, ['name', 'shape', 'datatype', 'parameters', 'data'])) return false
  if (typeof input.name !== 'string' || input.name.length > 256) return false
  if (input.parameters !== undefined && !isParameters(input.parameters)) return false
  if (input.datatype !== 'FP32' && input.datatype !== 'FP64') return false
  const { shape, data } = input
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) return false
  const [rows, columns] = shape as number[]
  if (columns !== 4 || rows < 1 || rows > maxBatch || !Array.isArray(data)) return false
  if (data.length > 0 && Array.isArray(data[0])) return data.length === rows && data.every((r) => Array.isArray(r) && r.length === 4 && r.every(isFinite))
  return data.length === rows * 4 && data.every(isFinite)
}
