/**
 * In-process model throughput: ml-random-forest's predict vs the compiled forest, on the same trees,
 * single rows and 1,000-row batches. Each case runs REPS times, interleaved, for about MS_PER_REP ms;
 * the table gives rows/s as median (min – max) and the compiled/library ratio of the medians.
 *
 *   npm run bench:model [-- --reps 7 --ms 500]
 */
import { parseArgs } from 'node:util'
import { readFileSync } from 'node:fs'
import type { ModelArtifact } from '../src/model/artifact.js'
import { CompiledForest } from '../src/model/compiled-forest.js'
import { loadIris } from '../train/dataset.js'
import { exportTrees, fitForest } from '../train/forest.js'
import { formatSummary, machineDescription, summarize } from './stats.js'

const { values } = parseArgs({ options: { reps: { type: 'string', default: '7' }, ms: { type: 'string', default: '400' } } })
const REPS = Number(values.reps)
const MS_PER_REP = Number(values.ms)
const BATCH = 1000

const artifact = JSON.parse(readFileSync(new URL('../models/iris-rf.json', import.meta.url), 'utf8')) as ModelArtifact
const dataset = loadIris()
const library = fitForest(dataset.features, dataset.labels, artifact.hyperparameters)
const compiled = new CompiledForest(exportTrees(library, 3), 4, 3)

// Rows cycle through the data set, so both sides walk the same, realistic paths.
const rows = Array.from({ length: BATCH }, (_, i) => dataset.features[i % dataset.features.length])
const flat = new Float64Array(rows.flat())
const proba = new Float64Array(BATCH * 3)
let sink = 0

/** Rows per second of `run`, which predicts `rowsPerCall` rows per call. */
function measure (rowsPerCall: number, run: (i: number) => void): number {
  const deadline = performance.now() + MS_PER_REP
  let calls = 0
  const start = performance.now()
  while (performance.now() < deadline) {
    for (let k = 0; k < 16; k++) run(calls++)
  }
  return (calls * rowsPerCall) / ((performance.now() - start) / 1000)
}

const cases = {
  'ml-random-forest, single row': () => measure(1, (i) => { sink += library.predict([rows[i % BATCH]])[0] }),
  'compiled forest, single row': () => measure(1, (i) => {
    const r = i % BATCH
    compiled.predictProba(flat.subarray(r * 4, r * 4 + 4), 1, proba)
    sink += compiled.argmax(proba, 0)
  }),
  'ml-random-forest, 1,000-row batch': () => measure(BATCH, () => { sink += library.predict(rows)[0] }),
  'compiled forest, 1,000-row batch': () => measure(BATCH, () => {
    compiled.predictProba(flat, BATCH, proba)
    for (let r = 0; r < BATCH; r++) sink += compiled.argmax(proba, r)
  })
}
type Case = keyof typeof cases
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<Case, number[]>

for (const run of Object.values(cases)) run() // warm-up
for (let rep = 0; rep < REPS; rep++) {
  for (const [name, run] of Object.entries(cases) as [Case, () => number][]) samples[name].push(run())
}

const s = Object.fromEntries(Object.entries(samples).map(([name, v]) => [name, summarize(v)])) as Record<Case, ReturnType<typeof summarize>>
const ratio = (a: Case, b: Case): string => `${(s[a].median / s[b].median).toFixed(1)}x`
console.log(`## Model inference, in process (one core)

Machine: ${machineDescription()}. Model: ${artifact.hyperparameters.n_estimators} trees, max_depth ${artifact.hyperparameters.max_depth}.
${REPS} interleaved repetitions of ~${MS_PER_REP} ms each; rows/s as median (min – max).

| case | rows/s |
|---|---:|
${Object.keys(cases).map((name) => `| ${name} | ${formatSummary(s[name as Case])} |`).join('\n')}

| ratio (medians) | |
|---|---:|
| compiled / ml-random-forest, single row | ${ratio('compiled forest, single row', 'ml-random-forest, single row')} |
| compiled / ml-random-forest, 1,000-row batch | ${ratio('compiled forest, 1,000-row batch', 'ml-random-forest, 1,000-row batch')} |
`)
if (Number.isNaN(sink)) console.log('unreachable')
