import t from 'tap'
import { type Predictions, Predictor } from '../../src/inference/predictor.js'
import { loadModel } from '../../src/model/load-model.js'
import { FEATURE_NAMES, loadIris } from '../../train/dataset.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

const model = await loadModel(ARTIFACT_PATH)
const { features } = loadIris()

t.test('a row keyed by feature name predicts as the same row in feature order; the observer sees each prediction', async (t) => {
  const observed: { rows: number, classIndex: number, matrix: number[] }[] = []
  const predictor = new Predictor(model, {
    observePrediction: (matrix: Float64Array, predictions: Predictions) => {
      observed.push({ rows: predictions.rows, classIndex: predictions.classIndices[0], matrix: [...matrix] })
    }
  })
  const answer = ({ rows, classIndices, probabilities }: Predictions) => ({ rows, classIndices: [...classIndices], probabilities: [...probabilities] })
  const answers = features.map((row) => predictor.predict(predictor.toMatrix([row]), 1))
  for (const [i, row] of features.entries()) {
    const named = Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, row[j]]))
    t.same(answer(predictor.predict(predictor.toMatrix([named]), 1)), answer(answers[i]), `row ${i} keyed by name`)
    t.match(String(answers[i].elapsedMs), /^\d+(\.\d{1,6})?$/, `row ${i}: the time is whole nanoseconds, without float error`)
  }
  const batch = predictor.predict(predictor.toMatrix(features), features.length)
  t.same([...batch.classIndices], answers.map((a) => a.classIndices[0]), 'a batch predicts each row as alone')
  t.match(String(batch.elapsedMs), /^\d+(\.\d{1,6})?$/, 'so is a batch\'s')
  t.same(observed.slice(0, features.length), features.map((row, i) => ({ rows: 1, classIndex: answers[i].classIndices[0], matrix: row })), 'the observer sees each row and its class')
})
