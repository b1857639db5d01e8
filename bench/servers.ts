import { readFileSync } from 'node:fs'

// `npm start`: node, its flags, the bundle.
const [, ...start] = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ')
const NODE_FLAGS = start.slice(0, -1)

/** node's arguments for `script` as `npm start` (and the image) runs the server: its node flags, plus `extraFlags`. */
export function underStartFlags (script: string, extraFlags: string[] = []): string[] {
  return [...NODE_FLAGS, ...extraFlags, script]
}

/** The server's entry point, and the bare route's; both run under the same node flags, so a comparison is of the code alone. */
export const API_SCRIPT = start[start.length - 1]
export const BARE_SCRIPT = 'dist/bench/bare-server.js'
export const API = underStartFlags(API_SCRIPT)
export const BARE = underStartFlags(BARE_SCRIPT)
export const MODEL = { MODEL_PATH: 'models/iris-rf.json', DRAIN_DELAY_MS: '0' }
/** The one-row body both servers answer. */
export const ROW = JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] })

/** `cases` in repetition `rep`'s order: reversed every other repetition, so that none always runs first. */
export function alternatingOrder<T> (cases: readonly T[], rep: number): T[] {
  return rep % 2 === 0 ? [...cases] : [...cases].reverse()
}
