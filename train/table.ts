/**
 * A data set from a file of the user's: a CSV with a header row (parsed by csv-parse) or a JSON array of
 * records. Feature columns must hold numbers; the target column holds the classes (strings or integers).
 * Column names become identifiers in the artifact ("Beak Length (mm)" is `beak_length_mm`).
 */
import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { parse } from 'csv-parse/sync'
import { type Dataset, loadIris } from './dataset.js'
import type { CliOptions } from './options.js'

export class DatasetError extends Error {
  override name = 'DatasetError'
}

export interface TableOptions {
  /** The class column. */
  target: string
  /** Feature columns, by their names in the file; all but the target when absent. */
  features?: string[]
  /** Drop rows with a missing value (empty cell, null, absent key) in a used column, instead of refusing the file. */
  dropMissing?: boolean
  /** Every class needs at least this many rows (the cross-validation folds). */
  minRowsPerClass: number
}

type Cell = unknown

/** A .json file holds an array of records; any other file is CSV. */
const isJson = (path: string) => extname(path).toLowerCase() === '.json'
type Row = Record<string, Cell>

/** A column name as an identifier of the artifact: lower case, runs of other characters as one "_". */
export function identifier (column: string): string {
  const id = column.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  return /^[a-z_]/.test(id) ? id.slice(0, 64) : `f_${id}`.slice(0, 64)
}

function readRecords (path: string): { records: Row[], columns: string[] } {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new DatasetError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  if (isJson(path)) {
    let records: unknown
    try {
      records = JSON.parse(text)
    } catch (err) {
      throw new DatasetError(`${path} is not JSON: ${(err as Error).message}`)
    }
    if (!Array.isArray(records) || !records.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      throw new DatasetError(`${path} must hold a JSON array of records (objects keyed by column name)`)
    }
    const columns = [...new Set(records.flatMap((r) => Object.keys(r as Row)))]
    return { records: records as Row[], columns }
  }
  try {
    let columns: string[] = []
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      columns: (header: string[]) => { columns = header; return header }
    }) as Row[]
    return { records, columns }
  } catch (err) {
    throw new DatasetError(`${path} is not a CSV file with a header row: ${(err as Error).message}`)
  }
}

const isMissing = (cell: Cell) => cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '')

/** The class names in a stable order: integers by value, other names alphabetically. */
function orderClasses (names: string[]): string[] {
  const integers = names.every((n) => /^-?\d+$/.test(n))
  return [...names].sort(integers ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

export function loadTable (path: string, options: TableOptions): Dataset {
  const { records, columns } = readRecords(path)
  if (records.length === 0) throw new DatasetError(`${path} has no data rows`)
  const known = (column: string) => {
    if (!columns.includes(column)) throw new DatasetError(`${path} has no column "${column}" (its columns: ${columns.join(', ')})`)
    return column
  }
  const target = known(options.target)
  const featureColumns = (options.features ?? columns.filter((c) => c !== target)).map(known)
  if (featureColumns.length === 0) throw new DatasetError(`${path} has no feature column besides the target "${target}"`)
  if (featureColumns.includes(target)) throw new DatasetError(`the target "${target}" cannot also be a feature`)
  const featureNames = featureColumns.map(identifier)
  const clash = featureNames.find((name, i) => featureNames.indexOf(name) !== i)
  if (clash !== undefined) throw new DatasetError(`two feature columns become the same name "${clash}": rename one`)

  // The line a user finds a row on: the header is line 1 of a CSV; JSON records count from 1.
  const rowName = (i: number) => (isJson(path) ? `row ${i + 1}` : `row ${i + 1} (line ${i + 2})`)
  const used = [target, ...featureColumns]
  const features: number[][] = []
  const targets: string[] = []
  let droppedRows = 0
  records.forEach((record, i) => {
    const where = (column: string) => `${rowName(i)}, column "${column}"`
    const missing = used.find((column) => isMissing(record[column]))
    if (missing !== undefined) {
      if (options.dropMissing === true) { droppedRows++; return }
      throw new DatasetError(`${where(missing)}: the value is missing (pass --drop-missing to leave such rows out)`)
    }
    features.push(featureColumns.map((column) => {
      const cell = record[column]
      const value = typeof cell === 'number' ? cell : typeof cell === 'string' ? Number(cell) : NaN
      if (!Number.isFinite(value)) throw new DatasetError(`${where(column)}: ${JSON.stringify(cell)} is not a number (choose the feature columns with --features)`)
      return value
    }))
    const label = record[target]
    if (typeof label !== 'string' && !(typeof label === 'number' && Number.isInteger(label))) {
      throw new DatasetError(`${where(target)}: ${JSON.stringify(label)} is not a class name or an integer`)
    }
    targets.push(String(label).trim())
  })
  if (targets.length === 0) throw new DatasetError(`${path}: every row has a missing value`)
  const classes = orderClasses([...new Set(targets)])
  if (classes.length < 2) throw new DatasetError(`the target "${target}" has one class only ("${classes[0]}"): a classifier needs at least two`)
  for (const name of classes) {
    const rows = targets.filter((t) => t === name).length
    if (rows < options.minRowsPerClass) {
      throw new DatasetError(`class "${name}" has ${rows} row${rows === 1 ? '' : 's'}, fewer than the ${options.minRowsPerClass} cross-validation folds (--folds)`)
    }
  }
  return {
    name: basename(path),
    ...(isJson(path) ? {} : { package: 'csv-parse' }),
    features,
    labels: targets.map((t) => classes.indexOf(t)),
    featureNames,
    classes,
    droppedRows
  }
}

/** The rows `npm run train` trains on with these options: the file of --data, or Iris. */
export function trainingData (options: CliOptions): Dataset {
  return options.data === undefined ? loadIris() : loadTable(options.data.path, { ...options.data, minRowsPerClass: options.folds })
}
