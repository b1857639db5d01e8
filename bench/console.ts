/** A progress line, on stderr. */
export function log (line: string): void {
  process.stderr.write(`${line}\n`)
}
