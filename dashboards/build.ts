/**
 * Writes the generated dashboards to chart/files/dashboards/ (the chart ships them as ConfigMaps).
 *   npm run dashboards
 * test/dashboards/ fails when the committed JSON differs from what this produces.
 */
import { writeFileSync } from 'node:fs'
import { dashboards } from './index.js'

for (const [file, json] of Object.entries(dashboards())) {
  const path = new URL(`../chart/files/dashboards/${file}`, import.meta.url)
  writeFileSync(path, json)
  console.log(`wrote ${path.pathname.split('/').slice(-3).join('/')}`)
}
