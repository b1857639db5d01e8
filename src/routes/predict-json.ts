import type { Predictions } from '../inference/predictor.js'

/** Rows per piece of text: each piece (about 10 kB) stays in V8's young generation. */
const ROWS_PER_PIECE = 64

/** Writes the answer to a batch: `{ predictions: [{ prediction, class, probabilities, confidence }, ...], processing_time_ms, timestamp }`. */
export type BatchJsonWriter = (predictions: Predictions, timestamp: string) => Buffer

/**
 * The JSON of /predict's answer to a batch, written from the prediction arrays: the same text as the route's
 * response schema gives. The class names' JSON is written once, here;
 * numbers print as JSON.stringify prints them (probabilities and times are finite); the timestamp is
 * ISO-8601, which needs no escaping. The serializer builds the 160 kB answer of 1,000 rows by adding strings piece by piece; V8
 * allocates the result outside its young generation, and flattens and copies it more than once on its
 * way to the socket. Here a join writes each 64 rows at once, and the pieces go into one buffer that the
 * socket takes as it is.
 */
export function batchJsonWriter (classes: readonly string[]): BatchJsonWriter {
  const nClasses = classes.length
  const rowStart = classes.map((name, index) => `{"prediction":${index},"class":${JSON.stringify(name)},"probabilities":{`)
  // The probabilities in the order of an object's keys, as the serializer writes them: integer-like names first.
  const keyOrder = Object.values(Object.fromEntries(classes.map((name, c) => [name, c])))
  const probabilityKey = keyOrder.map((c, k) => `${k === 0 ? '' : ','}${JSON.stringify(classes[c])}:`)

  /** `{ prediction, class, probabilities, confidence` of the row whose probabilities start at `base`: the object left open. */
  function openRow (probabilities: Float64Array, base: number, index: number): string {
    let json = rowStart[index]
    for (let k = 0; k < nClasses; k++) json += probabilityKey[k] + probabilities[base + keyOrder[k]]
    return json + '},"confidence":' + probabilities[base + index]
  }

  return ({ rows, probabilities, classIndices, elapsedMs }, timestamp) => {
    const pieces: string[] = []
    let parts: (string | number)[] = ['{"predictions":[']
    for (let r = 0; r < rows; r++) {
      if (r > 0 && r % ROWS_PER_PIECE === 0) {
        pieces.push(parts.join(''))
        parts = []
      }
      if (r > 0) parts.push(',')
      parts.push(openRow(probabilities, r * nClasses, classIndices[r]), '}')
    }
    parts.push('],"processing_time_ms":', elapsedMs, ',"timestamp":"', timestamp, '"}')
    pieces.push(parts.join(''))

    let bytes = 0
    for (const piece of pieces) bytes += Buffer.byteLength(piece)
    const json = Buffer.allocUnsafe(bytes)
    let offset = 0
    for (const piece of pieces) offset += json.write(piece, offset)
    return json
  }
}
