import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ServerSpec } from './http.js'

/** `npm start`'s command line (node, its flags, the bundle), so that the benchmark runs the server as the image does. */
const [, ...START_ARGS] = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ')

/** ml-api's environment for the benchmark: the committed model, no drain delay to wait out. */
export const ML_API_ENVIRONMENT = { MODEL_PATH: 'models/iris-rf.json', DRAIN_DELAY_MS: '0' }

export function mlApi (env: Record<string, string> = {}): ServerSpec {
  return { name: 'ml-api', command: process.execPath, args: START_ARGS, env: { ...ML_API_ENVIRONMENT, ...env } }
}

const PYTHON_DIR = fileURLToPath(new URL('python/', import.meta.url))
/** Debian's interpreter, whose packages (python3-sklearn, python3-flask, gunicorn, ...) the servers import. */
export const PYTHON = '/usr/bin/python3'

/**
 * The Python servers a user would otherwise deploy, each one worker, serving the pickle at `modelPickle`.
 * gunicorn's worker is gthread with one thread: one request at a time like the default sync worker, but
 * with keep-alive. The sync worker closes every connection after its answer, which a keep-alive load
 * generator meets as resets and latencies of hundreds of milliseconds that are its own, not the server's.
 */
export function pythonServers (modelPickle: string): ServerSpec[] {
  const env = { MODEL_PICKLE: modelPickle }
  return [
    {
      name: 'Flask + gunicorn',
      command: PYTHON,
      args: ['-m', 'gunicorn', '--workers', '1', '--worker-class', 'gthread', '--threads', '1', '--bind', '127.0.0.1:$PORT', '--log-level', 'warning', 'flask_server:app'],
      env,
      cwd: PYTHON_DIR
    },
    {
      name: 'FastAPI + uvicorn',
      command: PYTHON,
      args: ['-m', 'uvicorn', '--host', '127.0.0.1', '--port', '$PORT', '--workers', '1', '--log-level', 'warning', 'fastapi_server:app'],
      env,
      cwd: PYTHON_DIR
    }
  ]
}

/** The one-row body every server answers. */
export const ROW = JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] })

/** `cases` in repetition `rep`'s order: reversed every other repetition, so that none always runs first. */
export function alternatingOrder<T> (cases: readonly T[], rep: number): T[] {
  return rep % 2 === 0 ? [...cases] : [...cases].reverse()
}
