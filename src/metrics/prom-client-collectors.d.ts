/** prom-client's default-metric collectors, one module each (collectDefaultMetrics calls them all). */
declare module 'prom-client/lib/metrics/*.js' {
  import type { DefaultMetricsCollectorConfiguration, Registry } from 'prom-client'
  const collect: (registry: Registry, config: DefaultMetricsCollectorConfiguration<'text/plain; version=0.0.4; charset=utf-8'>) => void
  export default collect
}
