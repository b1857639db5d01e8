import type { Registry } from 'prom-client'
import eventLoopLag from 'prom-client/lib/metrics/eventLoopLag.js'
import gcDurationHistogram from 'prom-client/lib/metrics/gc.js'
import heapSizeAndUsed from 'prom-client/lib/metrics/heapSizeAndUsed.js'
import heapSpacesSizeAndUsed from 'prom-client/lib/metrics/heapSpacesSizeAndUsed.js'
import osMemoryHeap from 'prom-client/lib/metrics/osMemoryHeap.js'
import processCpuTotal from 'prom-client/lib/metrics/processCpuTotal.js'
import processHandles from 'prom-client/lib/metrics/processHandles.js'
import processMaxFileDescriptors from 'prom-client/lib/metrics/processMaxFileDescriptors.js'
import processOpenFileDescriptors from 'prom-client/lib/metrics/processOpenFileDescriptors.js'
import processRequests from 'prom-client/lib/metrics/processRequests.js'
import processResources from 'prom-client/lib/metrics/processResources.js'
import processStartTime from 'prom-client/lib/metrics/processStartTime.js'
import version from 'prom-client/lib/metrics/version.js'

/** prom-client's default metrics less nodejs_gc_duration_seconds: CPU, memory, heap, handles, descriptors, event-loop lag, version. */
const COLLECTORS = [processCpuTotal, processStartTime, osMemoryHeap, processOpenFileDescriptors, processMaxFileDescriptors, eventLoopLag,
  processResources, processHandles, processRequests, heapSizeAndUsed, heapSpacesSizeAndUsed, version]

/**
 * Registers prom-client's default process metrics, as collectDefaultMetrics does, with the GC duration
 * histogram only when asked: once anything observes garbage collections, Node builds a performance entry
 * in JavaScript after each one (tens a second under load), and the requests that meet a collection wait
 * for it (README, Performance).
 */
export function collectProcessMetrics (registry: Registry, { gcDuration }: { gcDuration: boolean }): void {
  const config = { eventLoopMonitoringPrecision: 10 } // collectDefaultMetrics' default
  for (const collect of gcDuration ? [...COLLECTORS, gcDurationHistogram] : COLLECTORS) collect(registry, config)
}
