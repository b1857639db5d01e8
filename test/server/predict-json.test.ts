import fc from 'fast-check'
import t from 'tap'
import type { Predictions } from '../../src/inference/predictor.js'
import { batchJsonWriter } from '../../src/routes/predict-json.js'

/** Row `r`'s `{ prediction, class, probabilities, confidence }`, as the route's response schema describes it. */
function rowAnswer (classes: string[], { probabilities, classIndices }: Predictions, r: number) {
  const k = classes.length
  return {
    prediction: classIndices[r],
    class: classes[classIndices[r]],
    probabilities: Object.fromEntries(classes.map((name, c) => [name, probabilities[r * k + c]])),
    confidence: probabilities[r * k + classIndices[r]]
  }
}

/** The answer as the route's response schema (and JSON.stringify, for these fields in this order) writes it. */
function expectedJson (classes: string[], predictions: Predictions, timestamp: string): string {
  const rows = Array.from({ length: predictions.rows }, (_, r) => rowAnswer(classes, predictions, r))
  return JSON.stringify({ predictions: rows, processing_time_ms: predictions.elapsedMs, timestamp })
}

// Integer-like names ("0", "7") come first in an object's keys, whatever the order of the classes.
const className = fc.oneof(fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), fc.nat(20).map(String))
const probability = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.04, 1e-7, 1 / 3))

const batch = fc.uniqueArray(className, { minLength: 1, maxLength: 4 }).chain((classes) =>
  fc.record({
    classes: fc.constant(classes),
    // Up to 200 rows: across several pieces of 64.
    rows: fc.array(fc.tuple(fc.nat(classes.length - 1), fc.array(probability, { minLength: classes.length, maxLength: classes.length })), { minLength: 1, maxLength: 200, size: 'max' }),
    elapsedMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
    timestamp: fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
  }))

t.test('the batch JSON is the text the response schema gives, for any classes, probabilities and row count', async (t) => {
  fc.assert(fc.property(batch, ({ classes, rows, elapsedMs, timestamp }) => {
    const predictions: Predictions = {
      rows: rows.length,
      classIndices: Int32Array.from(rows, ([index]) => index),
      probabilities: Float64Array.from(rows.flatMap(([, p]) => p)),
      elapsedMs
    }
    const json = batchJsonWriter(classes)(predictions, timestamp)
    return json.toString('utf8') === expectedJson(classes, predictions, timestamp)
  }), { numRuns: 300 })
  t.pass('300 random batches written as the schema would write them')
})

t.test('class names that need escaping or take several UTF-8 bytes', async (t) => {
  const classes = ['"quoted"', 'back\\slash', 'été', '🌸']
  const predictions: Predictions = { rows: 1, classIndices: Int32Array.of(3), probabilities: Float64Array.of(0.1, 0.2, 0.3, 0.4), elapsedMs: 0.5 }
  const json = batchJsonWriter(classes)(predictions, '2026-01-01T00:00:00.000Z')
  t.same(JSON.parse(json.toString('utf8')).predictions[0], { prediction: 3, class: '🌸', probabilities: { '"quoted"': 0.1, 'back\\slash': 0.2, été: 0.3, '🌸': 0.4 }, confidence: 0.4 })
  t.equal(json.length, Buffer.byteLength(expectedJson(classes, predictions, '2026-01-01T00:00:00.000Z')), 'every byte, multi-byte characters included')
})
