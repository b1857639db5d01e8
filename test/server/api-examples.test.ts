import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

/** Values that differ on every run, replaced on both sides before comparing. */
const DYNAMIC = new Set(['timestamp', 'processing_time_ms'])

function normalise (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, DYNAMIC.has(k) ? '<varies>' : normalise(v)]))
  }
  return value
}

/** Splits a one-line curl command into words, honouring single quotes. */
function words (command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2])
}

interface Example { command: string, method: string, url: string, headers: Record<string, string>, body?: string, expected: string }

function parseExamples (page: string): Example[] {
  return [...page.matchAll(/```sh\n(curl [^\n]+)\n```\n```json\n([^\n]+)\n```/g)].map(([, command, expected]) => {
    const argv = words(command).slice(1)
    const example: Example = { command, method: 'GET', url: '', headers: {}, expected }
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]
      if (arg === '-s') continue
      if (arg === '-X') example.method = argv[++i]
      else if (arg === '-H') {
        const [name, ...value] = argv[++i].split(':')
        example.headers[name.trim().toLowerCase()] = value.join(':').trim()
      } else if (arg === '-d') {
        example.body = argv[++i]
        if (example.method === 'GET') example.method = 'POST'
      } else example.url = new URL(arg).pathname + new URL(arg).search
    }
    return example
  })
}

t.test('every curl example in docs/api.md gives the response printed under it', async (t) => {
  const examples = parseExamples(readFileSync('docs/api.md', 'utf8'))
  t.ok(examples.length >= 20, `${examples.length} examples found`)
  const { app } = await buildTestApp(t)
  const paths = new Set<string>()
  for (const example of examples) {
    const res = await app.inject({ method: example.method as 'GET', url: example.url, headers: example.headers, payload: example.body })
    t.same(normalise(res.json()), normalise(JSON.parse(example.expected)), example.command)
    paths.add(`${example.method} ${example.url.split('?')[0]}`)
  }
  for (const route of ['GET /', 'GET /health', 'GET /ready', 'GET /info', 'POST /predict', 'GET /v1/models/iris', 'POST /v1/models/iris:predict',
    'GET /v2', 'GET /v2/health/live', 'GET /v2/health/ready', 'GET /v2/models/iris', 'GET /v2/models/iris/ready', 'POST /v2/models/iris/infer']) {
    t.ok(paths.has(route), `docs/api.md has an example of ${route}`)
  }
})
