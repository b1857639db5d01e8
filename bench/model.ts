/**
 * In-process model throughput: ml-random-forest's predict vs the compiled forest, on the same trees,
 * single rows and 1,000-row batches. Each case runs `reps` times, interleaved, for about `ms` ms;
 * the table gives rows/s as median (min – max) and the compiled/library ratio of the medians.
 *
 *   npm run bench:model [-- --reps 7 --ms 500]      (also the first section of make bench)
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { ModelArtifact } from '../src/model/artifact.js'
import { CompiledForest } from '../src/model/compiled-forest.js'
import { loadIris } from '../train/dataset.js'
import { exportTrees, fitForest } from '../train/forest.js'
import { formatSummary, machineDescription, type Summary, summarize } from './stats.js'

const BATCH = 1000

export interface ModelBenchmark {
  trees: number
  maxDepth: number
  reps: number
  ms: number
  rowsPerSecond: Record<string, Summary>
  ratios: { single: number, batch: number }
}

/** Rows per second of `run` (which predicts `rowsPerCall` rows per call) over about `ms` milliseconds. */
function measure (ms: number, rowsPerCall: number, run: (i: number) => void): number {
  const start = performance.now()
  const deadline = start + ms
  let calls = 0
  while (performance.now() < deadline) {
    for (let k = 0; k < 16; k++) run(calls++)
  }
  return (calls * rowsPerCall) / ((performance.now() - start) / 1000)
}

export function modelBenchmark (reps = 7, ms = 400): ModelBenchmark {
  const artifact = JSON.parse(readFileSync(new URL('../models/iris-rf.json', import.meta.url), 'utf8')) as ModelArtifact
  const dataset = loadIris()
  const library = fitForest(dataset.features, dataset.labels, artifact.hyperparameters)
  const compiled = new CompiledForest(exportTrees(library, 3), 4, 3)

  // Rows cycle through the data set, so both sides walk the same, realistic paths.
  const rows = Array.from({ length: BATCH }, (_, i) => dataset.features[i % dataset.features.length])
  const flat = new Float64Array(rows.flat())
  const proba = new Float64Array(BATCH * 3)
  let sink = 0
  const cases: Record<string, () => number> = {
    'ml-random-forest, single row': () => measure(ms, 1, (i) => { sink += library.predict([rows[i % BATCH]])[0] }),
    'compiled forest, single row': () => measure(ms, 1, (i) => {
      const r = i % BATCH
      compiled.predictProba(flat.subarray(r * 4, r * 4 + 4), 1, proba)
      sink += compiled.argmax(proba, 0)
    }),
    'ml-random-forest, 1,000-row batch': () => measure(ms, BATCH, () => { sink += library.predict(rows)[0] }),
    'compiled forest, 1,000-row batch': () => measure(ms, BATCH, () => {
      compiled.predictProba(flat, BATCH, proba)
      for (let r = 0; r < BATCH; r++) sink += compiled.argmax(proba, r)
    })
  }
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (const run of Object.values(cases)) run() // warm-up
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, run] of Object.entries(cases)) samples[name].push(run())
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the predictions from being optimised away')

  const s = Object.fromEntries(Object.entries(samples).map(([name, v]) => [name, summarize(v)]))
  const ratios = {
    single: s['compiled forest, single row'].median / s['ml-random-forest, single row'].median,
    batch: s['compiled forest, 1,000-row batch'].median / s['ml-random-forest, 1,000-row batch'].median
  }
  return { trees: artifact.hyperparameters.n_estimators, maxDepth: artifact.hyperparameters.max_depth, reps, ms, rowsPerSecond: s, ratios }
}

export function modelMarkdown (m: ModelBenchmark): string {
  return `## Model inference, in process (one core)

Model: ${m.trees} trees, max_depth ${m.maxDepth}. ${m.reps} interleaved repetitions of ~${m.ms} ms each; rows/s as median (min – max).

| case | rows/s |
|---|---:|
${Object.entries(m.rowsPerSecond).map(([name, rows]) => `| ${name} | ${formatSummary(rows)} |`).join('\n')}

| ratio of the medians | measured |
|---|---:|
| compiled / ml-random-forest, single row | ${m.ratios.single.toFixed(1)}x |
| compiled / ml-random-forest, 1,000-row batch | ${m.ratios.batch.toFixed(1)}x |
`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { reps: { type: 'string', default: '7' }, ms: { type: 'string', default: '400' } } })
  console.log(`Machine: ${machineDescription()}\n`)
  console.log(modelMarkdown(modelBenchmark(Number(values.reps), Number(values.ms))))
}
