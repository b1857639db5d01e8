import t from 'tap'
import { buildTestApp, postJson } from '../helpers/app.js'
import { trainPenguins } from '../helpers/penguins.js'

const PENGUINS_MODEL = trainPenguins()
const GENTOO = { beak_length_mm: 47.5, beak_depth_mm: 15, flipper_length_mm: 218, body_mass_g: 4950 }

t.test('a model trained on other data is served under its own name, features and classes', async (t) => {
  const { app } = await buildTestApp(t, { MODEL_PATH: PENGUINS_MODEL })

  const info = (await app.inject('/info')).json()
  t.match(info, { name: 'penguins', dataset: 'penguins.json', classes: ['Adelie', 'Chinstrap', 'Gentoo'], features: Object.keys(GENTOO) })

  const one = await postJson(app, '/predict', { features: GENTOO })
  t.equal(one.statusCode, 200, one.body)
  t.match(one.json(), { class: 'Gentoo', prediction: 2 })
  t.same(Object.keys(one.json().probabilities), ['Adelie', 'Chinstrap', 'Gentoo'])
  const short = await postJson(app, '/predict', { features: [47.5, 15, 218] })
  t.equal(short.statusCode, 400)
  t.match(short.json().error, /\/features must NOT have fewer than 4 items/)

  t.equal((await app.inject('/v2/models/iris')).statusCode, 404, 'no iris here')
  t.match((await app.inject('/v2/models/penguins')).json(), { name: 'penguins', inputs: [{ shape: [-1, 4] }] })
  const infer = await postJson(app, '/v2/models/penguins/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: Object.values(GENTOO) }] })
  t.equal(infer.statusCode, 200, infer.body)
  t.same(infer.json().outputs[0].data, [2])
  const v1 = await postJson(app, '/v1/models/penguins:predict', { instances: [Object.values(GENTOO)] })
  t.same(v1.json(), { predictions: [2] })

  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /ml_predictions_total\{model="penguins",class="Gentoo"\} 3/)
  t.match(metrics, /ml_input_out_of_range_total\{model="penguins",feature="flipper_length_mm"\} 0/)
  t.match(metrics, /ml_model_info\{model="penguins",version="1",sha256="[0-9a-f]{64}"\} 1/)

  const openapi = JSON.stringify((await app.inject('/openapi.json')).json())
  t.match(openapi, /model \\"penguins\\", trained on penguins.json/)
  t.match(openapi, /beak_length_mm/)
  t.notMatch(openapi, /sepal|setosa/i, 'nothing of Iris in the document')
})
