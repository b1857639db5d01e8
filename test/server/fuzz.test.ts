import fc from 'fast-check'
import t from 'tap'
import { buildTestApp, leaksInternals } from '../helpers/app.js'
import { validInfer, validKserveV1, validPredict } from '../helpers/oracle.js'

/*
 * Property-based fuzz of the model routes: 10,000 generated bodies per route (valid ones, arbitrary JSON,
 * wrong types, NaN/Infinity and numbers past double range, nested junk, long arrays, deep nesting,
 * prototype-pollution keys, duplicate keys, wrong content types, empty and oversized bodies). Every answer
 * must be a 2xx for a valid body or a 4xx with a JSON error: no 5xx, no invalid body accepted, no
 * internals leaked, and /health answers after every case.
 */

const RUNS = 10_000
const MAX_BATCH = 50
const BODY_LIMIT = 8192

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
const arrayRow = fc.array(finite, { minLength: 4, maxLength: 4 })
const namedRow = fc.record({ sepal_length: finite, sepal_width: finite, petal_length: finite, petal_width: finite })
const row = fc.oneof(arrayRow, namedRow)
const junk = fc.jsonValue({ maxDepth: 4 })
const nearlyRow = fc.oneof(
  fc.array(finite, { maxLength: 8 }),
  fc.array(fc.oneof(finite, fc.string(), fc.constant(null), fc.boolean(), junk), { minLength: 4, maxLength: 4 }),
  fc.dictionary(fc.constantFrom('sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'colour', '__proto__', 'constructor'), fc.oneof(finite, fc.string())),
  junk
)

/** Bodies as raw request text, to reach what JSON.stringify cannot produce. */
const rawText = fc.oneof(
  fc.constant(''),
  fc.constant('{"features":[1,2,3,NaN]}'),
  fc.constant('{"features":[1,2,3,Infinity]}'),
  fc.constantFrom('{"features":[1,2,3,1e999]}', '{"features":[1,2,3,-1e400]}', '{"instances":[[1e308,1,1,1],[1,1,1,-1e309]]}'),
  fc.constant('{"features":[1,2,3,4],"features":[5,6,7,8]}'),
  fc.constant('{"instances":[[1,2,3,4]],"instances":"x"}'),
  fc.constant('{"__proto__":{"polluted":true},"features":[1,2,3,4]}'),
  fc.constant('{"constructor":{"prototype":{"polluted":true}}}'),
  fc.integer({ min: 100, max: 5000 }).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`),
  fc.integer({ min: 100, max: 3000 }).map((depth) => `{"features":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `{"instances":[${Array(n).fill('[1,2,3,4]').join(',')}]}`),
  fc.string({ maxLength: 200 }),
  fc.string({ maxLength: 50 }).map((s) => `{"features":${s}}`),
  fc.constantFrom('{', '}', '[1,2,3,4]', 'null', 'true', '"text"', '{"features":[1,2,3,4]', '{"features":[1,2,3,4]}}')
)

function cases (valid: fc.Arbitrary<unknown>, structured: fc.Arbitrary<unknown>) {
  return fc.record({
    body: fc.oneof(
      { weight: 3, arbitrary: valid.map((v) => JSON.stringify(v)) },
      { weight: 4, arbitrary: structured.map((v) => JSON.stringify(v)) },
      { weight: 3, arbitrary: rawText }
    ),
    contentType: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x') }
    )
  })
}

const ROUTES = [
  {
    url: '/predict',
    valid: (body: unknown) => validPredict(body, MAX_BATCH),
    arbitrary: cases(
      fc.oneof(fc.record({ features: row }), fc.record({ instances: fc.array(row, { minLength: 1, maxLength: MAX_BATCH }) })),
      fc.oneof(fc.record({ features: nearlyRow }), fc.record({ instances: fc.array(fc.oneof(row, nearlyRow), { maxLength: MAX_BATCH + 5 }) }),
        fc.record({ features: row, instances: fc.array(row) }), fc.dictionary(fc.string(), junk), junk)
    )
  },
  {
    url: '/v1/models/iris:predict',
    valid: (body: unknown) => validKserveV1(body, MAX_BATCH),
    arbitrary: cases(
      fc.record({ instances: fc.array(row, { minLength: 1, maxLength: MAX_BATCH }) }),
      fc.oneof(fc.record({ instances: fc.array(fc.oneof(row, nearlyRow), { maxLength: MAX_BATCH + 5 }) }), fc.record({ inputs: fc.array(row) }), junk)
    )
  },
  {
    url: '/v2/models/iris/infer',
    valid: (body: unknown) => validInfer(body, MAX_BATCH),
    arbitrary: cases(
      fc.integer({ min: 1, max: MAX_BATCH }).chain((n) => fc.record({
        id: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        inputs: fc.tuple(fc.record({
          name: fc.string({ maxLength: 10 }),
          shape: fc.constant([n, 4]),
          datatype: fc.constantFrom('FP32', 'FP64'),
          data: fc.oneof(fc.array(finite, { minLength: n * 4, maxLength: n * 4 }), fc.array(arrayRow, { minLength: n, maxLength: n }))
        })),
        outputs: fc.option(fc.array(fc.record({ name: fc.constantFrom('predict', 'predict_proba') }), { maxLength: 2 }), { nil: undefined })
      }, { requiredKeys: ['inputs'] })),
      fc.oneof(
        fc.record({ inputs: fc.array(fc.record({ name: fc.oneof(fc.string(), junk), shape: fc.array(fc.integer({ min: -2, max: 60 }), { maxLength: 3 }), datatype: fc.constantFrom('FP32', 'INT64', 'BYTES', 'fp32'), data: fc.array(fc.oneof(finite, arrayRow, nearlyRow), { maxLength: 60 }) }), { maxLength: 2 }) }),
        fc.record({ inputs: junk, outputs: junk }),
        junk
      )
    )
  }
]

for (const route of ROUTES) {
  t.test(`${route.url}: ${RUNS} generated bodies, no 5xx, nothing invalid accepted, still serving`, async (t) => {
    const { app } = await buildTestApp(t, { MAX_BATCH: String(MAX_BATCH), BODY_LIMIT: String(BODY_LIMIT) })
    const statuses = new Map<number, number>()
    let accepted = 0
    await fc.assert(fc.asyncProperty(route.arbitrary, async ({ body, contentType }) => {
      const res = await app.inject({ method: 'POST', url: route.url, headers: { 'content-type': contentType }, payload: body })
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      if (res.statusCode >= 500) return false
      const json = res.json() as { error?: unknown }
      if (leaksInternals(res.body)) return false
      let parsed: unknown
      try { parsed = JSON.parse(body) } catch { parsed = Symbol('unparseable') }
      const isJson = contentType.startsWith('application/json')
      const valid = isJson && Buffer.byteLength(body) <= BODY_LIMIT && route.valid(parsed)
      if (res.statusCode < 300) {
        accepted++
        if (!valid) return false
      } else {
        if (typeof json.error !== 'string' || json.error.length === 0) return false
        if (valid) return false
        if (!isJson && res.statusCode !== 415) return false
      }
      return (await app.inject('/health')).statusCode === 200
    }), { numRuns: RUNS, seed: 20261128 })
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted')
    t.ok(accepted > RUNS * 0.2, `${accepted} valid bodies accepted`)
    t.comment(`statuses: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}`)
  })
}
