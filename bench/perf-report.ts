/**
 * Reads `perf report --stdio` text into CPU time per request, and compares two servers (make profile).
 * Pure functions: bench/profile.ts runs perf and writes the result.
 */

export interface SymbolSamples { area: Area, symbol: string, samples: number }

export type Area = 'kernel' | 'node' | 'javascript' | 'libraries'

export const AREA_NAMES: Record<Area, string> = {
  kernel: 'kernel (socket calls, loopback TCP, scheduling)',
  node: 'node binary: V8 builtins, runtime and GC, libuv, llhttp',
  javascript: 'JavaScript compiled by V8 (Fastify, Node\'s http, the app)',
  libraries: 'C libraries (libc, libstdc++)'
}

/** The function the kernel runs to wake a process waiting on a socket: here, the load generator. */
export const WAKE_UP_SYMBOL = 'sock_def_readable'

function areaOf (dso: string): Area {
  if (dso === '[kernel.kallsyms]') return 'kernel'
  if (dso === 'node') return 'node'
  if (dso.startsWith('[JIT]') || dso.startsWith('perf-')) return 'javascript'
  return 'libraries'
}

/**
 * A symbol as the same in every run and build. JavaScript functions go by name, whatever V8's tier
 * (`JS:*find /srv/node_modules/fastify/lib/route.js:1:2` and `JS:~find app.cjs:3:4` are both `find`); anonymous
 * ones keep their file's name and position, without the directories (which would name this machine). Other
 * symbols lose their addresses (a bare address reads `(no symbol)`).
 */
export function normalizeSymbol (symbol: string): string {
  const js = /^JS:[*~^+]?(\S*)\s*(.*)$/.exec(symbol)
  if (js !== null) return js[1] !== '' ? js[1] : `(anonymous) ${js[2].replace(/^(?:file:\/\/)?\/\S*\//, '')}`.trim()
  return symbol.replace(/0x[0-9a-f]+/g, '').replace(/\s+/g, ' ').trim() || '(no symbol)'
}

const keyOf = ({ area, symbol }: { area: Area, symbol: string }) => `${area}\0${symbol}`

/** One entry per area and symbol, their samples added up (a symbol normalised from several, or several runs). */
export function mergeSamples (samples: Iterable<SymbolSamples>): SymbolSamples[] {
  const merged = new Map<string, SymbolSamples>()
  for (const entry of samples) {
    const key = keyOf(entry)
    merged.set(key, { ...entry, samples: (merged.get(key)?.samples ?? 0) + entry.samples })
  }
  return [...merged.values()]
}

/** Lines of `perf report --no-children --stdio -n --sort dso,sym -g none`: "  7.02%  1717  [kernel.kallsyms]  [k] name". */
export function parseSelfSamples (text: string): SymbolSamples[] {
  const samples: SymbolSamples[] = []
  for (const line of text.split('\n')) {
    const match = /^\s*[\d.]+%\s+(\d+)\s+(.+?)\s+\[[.kgu]\]\s+(.*)$/.exec(line)
    if (match !== null) samples.push({ area: areaOf(match[2]), symbol: normalizeSymbol(match[3]), samples: Number(match[1]) })
  }
  return mergeSamples(samples)
}

/** The inclusive share (0–1) of `symbol` in `perf report --children --stdio -n --sort sym -g none`: its own time and its callees'. */
export function inclusiveShare (text: string, symbol: string): number {
  for (const line of text.split('\n')) {
    const match = /^\s*([\d.]+)%\s+[\d.]+%\s+\d+\s+\[[.kgu]\]\s+(\S+)\s*$/.exec(line)
    if (match !== null && match[2] === symbol) return Number(match[1]) / 100
  }
  return 0
}

export interface Profile {
  requests: number
  /** Samples per second of CPU time. */
  frequency: number
  symbols: SymbolSamples[]
  /** Samples in WAKE_UP_SYMBOL and what it calls. */
  wakeUpSamples: number
}

export interface ProfileCost {
  totalUs: number
  wakeUpUs: number
  byArea: Record<Area, number>
  /** µs per request of each `area\0symbol`. */
  bySymbol: Map<string, number>
}

/** CPU µs per request: samples / frequency / requests. */
export function costPerRequest ({ requests, frequency, symbols, wakeUpSamples }: Profile): ProfileCost {
  const usPerSample = 1e6 / frequency / requests
  const byArea: Record<Area, number> = { kernel: 0, node: 0, javascript: 0, libraries: 0 }
  const bySymbol = new Map<string, number>()
  let total = 0
  for (const { area, symbol, samples } of symbols) {
    byArea[area] += samples * usPerSample
    bySymbol.set(keyOf({ area, symbol }), samples * usPerSample)
    total += samples
  }
  return { totalUs: total * usPerSample, wakeUpUs: wakeUpSamples * usPerSample, byArea, bySymbol }
}

export interface SymbolDifference { area: Area, symbol: string, baselineUs: number, candidateUs: number }

/** The `count` symbols whose time per request grew the most from baseline to candidate. */
export function largestIncreases (baseline: ProfileCost, candidate: ProfileCost, count: number): SymbolDifference[] {
  const keys = new Set([...baseline.bySymbol.keys(), ...candidate.bySymbol.keys()])
  return [...keys]
    .map((key) => {
      const [area, symbol] = key.split('\0') as [Area, string]
      return { area, symbol, baselineUs: baseline.bySymbol.get(key) ?? 0, candidateUs: candidate.bySymbol.get(key) ?? 0 }
    })
    .sort((a, b) => (b.candidateUs - b.baselineUs) - (a.candidateUs - a.baselineUs))
    .slice(0, count)
}
