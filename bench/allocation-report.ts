/**
 * Reads V8 sampling heap profiles (bench/allocation-sampler.ts) into bytes allocated per request, by
 * function, and compares two servers (make profile). Pure functions.
 */
import type { HeapProfiler } from 'node:inspector'

export interface Allocations {
  /** Bytes allocated per request, all functions. */
  totalBytes: number
  /** Bytes each function allocated itself, per request. */
  byFunction: Map<string, number>
}

/** A frame as `name file:line`, without directories (which would name this machine); V8's own frames keep their name. */
export function frameName ({ functionName, url, lineNumber }: { functionName: string, url: string, lineNumber: number }): string {
  const name = functionName === '' ? '(anonymous)' : functionName
  if (url === '') return name
  return `${name} ${url.replace(/^(?:file:\/\/)?\/\S*\//, '')}:${lineNumber + 1}`
}

export function allocationsPerRequest (profile: HeapProfiler.SamplingHeapProfile, requests: number): Allocations {
  const byFunction = new Map<string, number>()
  let totalBytes = 0
  const pending = [profile.head]
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.selfSize > 0) {
      const name = frameName(node.callFrame)
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize / requests)
      totalBytes += node.selfSize / requests
    }
    pending.push(...node.children)
  }
  return { totalBytes, byFunction }
}

export interface AllocationIncrease { name: string, baselineBytes: number, candidateBytes: number }

/** The `n` functions whose bytes per request grew most from `baseline` to `candidate`. */
export function largestAllocationIncreases (baseline: Allocations, candidate: Allocations, n: number): AllocationIncrease[] {
  const names = new Set([...baseline.byFunction.keys(), ...candidate.byFunction.keys()])
  return [...names]
    .map((name) => ({ name, baselineBytes: baseline.byFunction.get(name) ?? 0, candidateBytes: candidate.byFunction.get(name) ?? 0 }))
    .sort((a, b) => (b.candidateBytes - b.baselineBytes) - (a.candidateBytes - a.baselineBytes) || a.name.localeCompare(b.name))
    .slice(0, n)
}
