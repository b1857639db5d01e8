/** Total instructions executed, from the `summary:` line of a cachegrind output file (its only event: Ir). */
export function totalInstructions (cachegrindOutput: string): number {
  const match = /^summary:\s+(\d+)\s*$/m.exec(cachegrindOutput)
  if (match === null) throw new Error('no summary line in the cachegrind output')
  return Number(match[1])
}

/** A run's total instructions, with the requests it answered and how long answering them took. */
export interface InstructionCount { requests: number, instructions: number, seconds: number }

/**
 * Instructions per request from two runs of the same server that differ only in how many requests they
 * answered: start-up, warm-up and shut-down are in both, and cancel out.
 */
export function instructionsPerRequest (shorter: InstructionCount, longer: InstructionCount): number {
  if (longer.requests <= shorter.requests) throw new Error('the longer run must answer more requests than the shorter')
  return (longer.instructions - shorter.instructions) / (longer.requests - shorter.requests)
}

/**
 * Of a run pair's instructions per request, the part that a server's timers did meanwhile: the extra requests
 * of the longer run took `longer.seconds - shorter.seconds` more, at `idlePerSecond` instructions a second.
 */
export function timerInstructionsPerRequest (shorter: InstructionCount, longer: InstructionCount, idlePerSecond: number): number {
  return idlePerSecond * Math.max(0, longer.seconds - shorter.seconds) / (longer.requests - shorter.requests)
}
