import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { identifier, loadTable } from '../../train/table.js'
import { PENGUIN_FEATURES, PENGUINS } from '../helpers/penguins.js'

const dir = mkdtempSync(join(tmpdir(), 'ml-api-table-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
/** scikit-learn's wine data as Debian's python3-sklearn ships it: its first line is "178,13,class_0,...", not column names. */
const WINE_SOURCE = '/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv'

function wineCsv (): string {
  const [, ...rows] = readFileSync(WINE_SOURCE, 'utf8').trim().split('\n')
  const header = [...Array.from({ length: 13 }, (_, i) => `feature_${i + 1}`), 'class']
  return file('wine.csv', [header.join(','), ...rows].join('\n'))
}

t.test('column names become identifiers of the artifact', async (t) => {
  t.equal(identifier('Beak Length (mm)'), 'beak_length_mm')
  t.equal(identifier('sepal.width'), 'sepal_width')
  t.equal(identifier('2nd'), 'f_2nd')
})

t.test('the Palmer penguins of vega-datasets: string columns left out, rows with a missing value refused or dropped', async (t) => {
  t.throws(() => loadTable(PENGUINS, { target: 'Species', minRowsPerClass: 5 }), /row 1, column "Island": "Torgersen" is not a number \(choose the feature columns with --features\)/)
  t.throws(() => loadTable(PENGUINS, { target: 'Species', features: PENGUIN_FEATURES, minRowsPerClass: 5 }),
    /row 4, column "Beak Length \(mm\)": the value is missing \(pass --drop-missing/)
  const penguins = loadTable(PENGUINS, { target: 'Species', features: PENGUIN_FEATURES, dropMissing: true, minRowsPerClass: 5 })
  t.equal(penguins.features.length, 342, '344 records, 2 without measurements (the 8 more without a Sex use no such column)')
  t.equal(penguins.droppedRows, 2)
  t.same(penguins.classes, ['Adelie', 'Chinstrap', 'Gentoo'])
  t.same(penguins.featureNames, ['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g'])
  t.equal(penguins.name, 'penguins.json')
  t.equal(penguins.package, undefined, 'JSON needs no parser package')
  t.same(penguins.labels.filter((l) => l === 2).length, 123, 'Gentoo')
})

t.test('the wine data of scikit-learn, as a CSV with a header', { skip: readFileSafe(WINE_SOURCE) ? false : `needs ${WINE_SOURCE} (apt-get install python3-sklearn)` }, async (t) => {
  const wine = loadTable(wineCsv(), { target: 'class', minRowsPerClass: 5 })
  t.equal(wine.features.length, 178)
  t.equal(wine.featureNames.length, 13)
  t.same(wine.classes, ['0', '1', '2'], 'integer classes, in numeric order')
  t.same(wine.classes.map((_, c) => wine.labels.filter((l) => l === c).length), [59, 71, 48])
  t.equal(wine.package, 'csv-parse')
})

function readFileSafe (path: string): boolean {
  try { readFileSync(path); return true } catch { return false }
}

t.test('clear errors that name the row and the column', async (t) => {
  const options = { target: 'kind', minRowsPerClass: 2 }
  const cases: [string, string, string, RegExp][] = [
    ['missing target column', 'a.csv', 'x,y\n1,2\n', /has no column "kind" \(its columns: x, y\)/],
    ['non-numeric feature', 'b.csv', 'x,kind\n1,a\nabc,b\n', /row 2 \(line 3\), column "x": "abc" is not a number/],
    ['empty feature cell', 'c.csv', 'x,kind\n1,a\n,b\n', /row 2 \(line 3\), column "x": the value is missing/],
    ['header only', 'd.csv', 'x,kind\n', /has no data rows/],
    ['one class only', 'e.csv', 'x,kind\n1,a\n2,a\n', /the target "kind" has one class only \("a"\)/],
    ['a class with fewer rows than folds', 'f.csv', 'x,kind\n1,a\n2,a\n3,b\n', /class "b" has 1 row, fewer than the 2 cross-validation folds/],
    ['not CSV', 'g.csv', 'x,kind\n1,a,extra\n"unclosed\n', /is not a CSV file with a header row: /],
    ['not records', 'h.json', '[1, 2]', /must hold a JSON array of records/],
    ['unknown feature', 'i.csv', 'x,kind\n1,a\n', /has no column "z"/]
  ]
  for (const [name, fileName, text, error] of cases) {
    const features = name === 'unknown feature' ? ['z'] : undefined
    t.throws(() => loadTable(file(fileName, text), { ...options, features }), error, name)
  }
})
