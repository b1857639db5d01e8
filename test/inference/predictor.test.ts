import t from 'tap'
import { type Predictions, Predictor } from '../../src/inference/predictor.js'
import { loadModel } from '../../src/model/load-model.js'
import { FEATURE_NAMES, loadIris } from '../../train/dataset.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

const model = await loadModel(ARTIFACT_PATH)
const { features } = loadIris()

t.test('predictOne gives what predict gives for the same row, as an array or keyed by name', async (t) => {
  const observed: { rows: number, classIndex: number, matrix: number[] }[] = []
  const predictor = new Predictor(model, {
    observePrediction: (matrix: Float64Array, predictions: Predictions) => {
      observed.push({ rows: predictions.rows, classIndex: predictions.classIndices[0], matrix: [...matrix] })
    }
  })
  // predictOne reuses its arrays: each answer is read before the next call.
  const answer = ({ rows, classIndices, probabilities, elapsedMs }: Predictions) => ({ rows, classIndices: [...classIndices], probabilities: [...probabilities], elapsedMs })
  const answers = features.map((row) => answer(predictor.predictOne(row)))
  for (const [i, row] of features.entries()) {
    const batch = answer(predictor.predict(predictor.toMatrix([row]), 1))
    const expected = { rows: 1, classIndices: batch.classIndices, probabilities: batch.probabilities }
    t.match(answers[i], expected, `row ${i}`)
    t.match(answer(predictor.predictOne(Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, row[j]])))), expected, `row ${i} keyed by name`)
    t.match(String(answers[i].elapsedMs), /^\d+(\.\d{1,6})?$/, `row ${i}: the time is whole nanoseconds, without float error`)
  }
  t.match(String(predictor.predict(predictor.toMatrix(features), features.length).elapsedMs), /^\d+(\.\d{1,6})?$/, 'so is a batch\'s')
  t.same(observed.slice(0, features.length), features.map((row, i) => ({ rows: 1, classIndex: answers[i].classIndices[0], matrix: row })), 'the observer sees each row and its class')
})
