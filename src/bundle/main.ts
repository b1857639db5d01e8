/**
 * The bundled server's entry point (dist/bundle/server.mjs): runs dist/bundle/app.cjs, through its code
 * cache when that cache fits this node.
 */
import { fileURLToPath } from 'node:url'
import { compileBundle } from './compile-bundle.js'

const bundle = compileBundle(fileURLToPath(new URL('app.cjs', import.meta.url)))
if (bundle.cache !== 'accepted') {
  // The server still starts, only more slowly: say so in the log's own format (pino, level 40 = warn).
  process.stdout.write(`${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, codeCache: bundle.cache, msg: 'starting without the code cache: it fits only the bundle, node and V8 flags (those of npm start) that npm run build made it with' })}\n`)
}
bundle.run()
