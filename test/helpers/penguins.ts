import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type CliOptions, parseTrainOptions } from '../../train/options.js'
import { runTraining, serializeArtifact } from '../../train/pipeline.js'
import { trainingData } from '../../train/table.js'

/** The Palmer penguins of vega-datasets. The package exports only its index (build/); the data files sit beside it. */
export const PENGUINS = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'penguins.json')
export const PENGUIN_FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']

/** `npm run train -- --data <penguins> --target Species --features ... --drop-missing`, written to a temporary file; its path. */
export function trainPenguins (): string {
  const options = parseTrainOptions(['--data', PENGUINS, '--target', 'Species', '--features', PENGUIN_FEATURES.join(','), '--drop-missing'], {}) as CliOptions
  const path = join(mkdtempSync(join(tmpdir(), 'ml-api-penguins-')), 'penguins-rf.json')
  writeFileSync(path, serializeArtifact(runTraining(trainingData(options), options).artifact))
  return path
}
