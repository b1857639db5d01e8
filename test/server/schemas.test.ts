import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { loadModel } from '../../src/model/load-model.js'
import { ARTIFACT_PATH } from '../helpers/model.js'

// The server skips the meta-schema check of its route schemas to start faster; this test runs it instead.
async function appWithSchemaCheck (t: Test, validateSchemas: boolean) {
  const config = loadConfig({ MODEL_PATH: ARTIFACT_PATH })
  const app = await buildApp({ config, model: await loadModel(config.modelPath), logger: false, validateSchemas })
  t.teardown(() => app.close())
  return app
}

t.test('every route schema is valid against the JSON-schema meta-schema', async (t) => {
  const app = await appWithSchemaCheck(t, true)
  await t.resolves(async () => { await app.ready() })
})

t.test('the check rejects a schema that only the meta-schema catches', async (t) => {
  const badSchema = { body: { type: 'object', properties: { rows: { type: 'array', minItems: -1 } } } }
  const checked = await appWithSchemaCheck(t, true)
  checked.post('/bad', { schema: badSchema }, async () => ({}))
  await t.rejects(async () => { await checked.ready() }, /minItems must be >= 0/)

  const unchecked = await appWithSchemaCheck(t, false)
  unchecked.post('/bad', { schema: badSchema }, async () => ({}))
  await t.resolves(async () => { await unchecked.ready() }, 'without the check, start-up does not look')
})
