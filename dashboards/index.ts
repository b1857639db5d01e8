import { mlApiDashboard } from './ml-api.js'

/** Every dashboard, keyed by its file name in chart/files/dashboards/, as the exact JSON to write. */
export function dashboards (): Record<string, string> {
  return { 'ml-api.json': `${JSON.stringify(mlApiDashboard(), null, 2)}\n` }
}
