import { cpus, totalmem } from 'node:os'

export interface Summary { median: number, min: number, max: number }

/** The value at `fraction` (0.99 for p99) of ascending `sorted` values; 0 when there are none. */
export function percentile (sorted: ArrayLike<number>, fraction: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]
}

export function summarize (values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1] }
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** "1,234,567 (1,200,000 – 1,300,000)" */
export function formatSummary ({ median, min, max }: Summary, digits = 0): string {
  const f = digits === 0 ? (x: number) => number.format(x) : (x: number) => x.toFixed(digits)
  return `${f(median)} (${f(min)} – ${f(max)})`
}

/** A fraction as a percentage with one decimal, "1.7 %"; one that rounds to nothing is "0.0 %", never "-0.0 %". */
export function formatPercent (fraction: number): string {
  return `${(Math.round(fraction * 1000) / 10 + 0).toFixed(1)} %`
}

export function machineDescription (): string {
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
}
