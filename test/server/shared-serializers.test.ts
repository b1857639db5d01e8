import t from 'tap'
import { sharedSerializers } from '../../src/plugins/shared-serializers.js'

const route = (url: string, httpStatus: string, schema: unknown) => ({ method: 'POST', url, httpStatus, schema })
const error = { type: 'object', properties: { error: { type: 'string' } } }

t.test('routes with the same response schema share one compiled serializer', async (t) => {
  const compile = sharedSerializers()({}, {})
  const first = compile(route('/predict', '400', error))
  t.equal(compile(route('/v2/models/iris/infer', '413', structuredClone(error))), first, 'an equal schema: the same function')
  t.equal(first({ error: 'bad', extra: 1 }), '{"error":"bad"}', 'and it serializes by the schema')

  const other = compile(route('/predict', '200', { type: 'object', properties: { class: { type: 'string' } } }))
  t.not(other, first, 'another schema: another function')
  t.equal(other({ class: 'setosa' }), '{"class":"setosa"}')
})

t.test('each plugin scope (each call of the factory) compiles with its own shared schemas', async (t) => {
  const factory = sharedSerializers()
  const ref = { $ref: 'Shape#' }
  const asString = factory({ Shape: { $id: 'Shape', type: 'object', properties: { a: { type: 'string' } } } }, {})(route('/a', '200', ref))
  const asInteger = factory({ Shape: { $id: 'Shape', type: 'object', properties: { a: { type: 'integer' } } } }, {})(route('/a', '200', ref))
  t.equal(asString({ a: 1 }), '{"a":"1"}')
  t.equal(asInteger({ a: 1 }), '{"a":1}')
})
