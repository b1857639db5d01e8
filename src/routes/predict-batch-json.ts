import type { Predictions } from '../inference/predictor.js'

/** Rows per piece of text: each piece (about 10 kB) stays in V8's young generation. */
const ROWS_PER_PIECE = 64

/**
 * The UTF-8 JSON of a /predict batch answer, written from the prediction arrays: the same text the route's
 * response schema gives for `{ predictions: [{ prediction, class, probabilities, confidence }, ...],
 * processing_time_ms, timestamp }`.
 * The schema's serializer builds the 160 kB answer of 1,000 rows by adding strings piece by piece; V8
 * allocates the result outside its young generation, and flattens and copies it more than once on its
 * way to the socket. Here a join writes each 64 rows at once, and the pieces go into one buffer that the
 * socket takes as it is. Numbers print as JSON.stringify prints them: probabilities and times are finite.
 */
export function batchJsonWriter (classes: readonly string[]): (predictions: Predictions, timestamp: string) => Buffer {
  const nClasses = classes.length
  const firstRowStart = classes.map((name, index) => `{"prediction":${index},"class":${JSON.stringify(name)},"probabilities":{`)
  const rowStart = firstRowStart.map((start) => `,${start}`)
  const probabilityKey = classes.map((name, c) => `${c === 0 ? '' : ','}${JSON.stringify(name)}:`)

  return ({ rows, probabilities, classIndices, elapsedMs }, timestamp) => {
    const pieces: string[] = []
    let parts: (string | number)[] = ['{"predictions":[']
    for (let r = 0; r < rows; r++) {
      if (r > 0 && r % ROWS_PER_PIECE === 0) {
        pieces.push(parts.join(''))
        parts = []
      }
      const index = classIndices[r]
      const base = r * nClasses
      parts.push(r === 0 ? firstRowStart[index] : rowStart[index])
      for (let c = 0; c < nClasses; c++) parts.push(probabilityKey[c], probabilities[base + c])
      parts.push('},"confidence":', probabilities[base + index], '}')
    }
    parts.push('],"processing_time_ms":', elapsedMs, ',"timestamp":', JSON.stringify(timestamp), '}')
    pieces.push(parts.join(''))

    let bytes = 0
    for (const piece of pieces) bytes += Buffer.byteLength(piece)
    const json = Buffer.allocUnsafe(bytes)
    let offset = 0
    for (const piece of pieces) offset += json.write(piece, offset)
    return json
  }
}
