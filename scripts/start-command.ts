import { readFileSync } from 'node:fs'

/**
 * How `npm start` runs the server: node's arguments and, of those, the flags before the entry point.
 * make bench, the code cache (which V8 accepts only under the same flags) and the image follow it.
 */
export function startCommand (): [string[], string[]] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
  const [node, ...args] = pkg.scripts.start.split(' ')
  if (node !== 'node') throw new Error(`the start script does not run node: ${pkg.scripts.start}`)
  return [args, args.slice(0, -1)]
}
