import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { sha256Hex } from '../src/model/load-model.js'
import { parseTrainOptions, UsageError, usage } from './options.js'
import { DatasetError, trainingData } from './table.js'
import { runTraining, serializeArtifact } from './pipeline.js'
import { renderMarkdownReport, renderSummary } from './report.js'

function progressLine (stage: string, built: number, total: number): void {
  const width = 30
  const filled = Math.round((built / total) * width)
  const line = `building trees [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${built}/${total} ${stage}`
  if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(90)}${built === total ? '\n' : ''}`)
  else process.stderr.write(`${line}\n`)
}

async function main (): Promise<void> {
  const options = parseTrainOptions(process.argv.slice(2), process.env)
  if (options === 'help') {
    console.log(usage())
    return
  }
  const dataset = trainingData(options)
  if (dataset.droppedRows !== undefined && dataset.droppedRows > 0) console.error(`left out ${dataset.droppedRows} rows with a missing value (--drop-missing)`)
  const { artifact, foldAccuracies } = runTraining(dataset, options, progressLine)
  const json = serializeArtifact(artifact)
  const sha256 = sha256Hex(json)
  const reportPath = options.output.replace(/\.json$/, '') + '.report.md'
  await mkdir(dirname(options.output), { recursive: true })
  await writeFile(options.output, json)
  await writeFile(reportPath, renderMarkdownReport(artifact, basename(options.output), sha256, foldAccuracies))
  console.log(renderSummary(artifact, options.output, sha256, Buffer.byteLength(json)))
  console.log(`Report              ${reportPath}`)
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n\n${usage()}`)
    process.exit(2)
  }
  if (err instanceof DatasetError) {
    console.error(`error: ${err.message}`)
    process.exit(2)
  }
  console.error(err)
  process.exit(1)
})
