/**
 * Writes DIR/app.cjs.cache: starts the bundled server in this process on a free loopback port with the
 * committed model and the default configuration (whatever the build's environment holds), waits for
 * /ready, and saves V8's code for everything start-up compiled.
 * scripts/bundle.ts runs it with npm start's node flags, without which V8 would refuse the cache.
 *
 *   node [npm start's flags] --import tsx scripts/write-code-cache.ts DIR
 */
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { compileBundle } from '../src/bundle/compile-bundle.js'
import { ENVIRONMENT } from '../src/config.js'
import { freePort } from './free-port.js'

const DIR = process.argv[2] ?? 'dist/bundle'
const READY_WITHIN_MS = 30_000

const port = await freePort()
process.env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in ENVIRONMENT))),
  HOST: '127.0.0.1',
  PORT: String(port),
  MODEL_PATH: 'models/iris-rf.json',
  LOG_LEVEL: 'warn'
}
const bundle = compileBundle(join(DIR, 'app.cjs'))
bundle.run()
const deadline = Date.now() + READY_WITHIN_MS
while (!(await fetch(`http://127.0.0.1:${port}/ready`).then((res) => res.ok, () => false))) {
  if (Date.now() > deadline) throw new Error(`the bundled server was not ready within ${READY_WITHIN_MS} ms`)
  await sleep(10)
}
bundle.writeCache()
process.exit(0)
