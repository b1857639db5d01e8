import { execFileSync } from 'node:child_process'

/** A progress line, on stderr. */
export function log (line: string): void {
  process.stderr.write(`${line}\n`)
}

/** Exits with status 2 and `hint` unless `command --version` runs: a benchmark needs `command`. */
export function requireCommand (command: string, hint: string): void {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' })
  } catch {
    log(hint)
    process.exit(2)
  }
}
