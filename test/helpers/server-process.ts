import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'

export interface ServerProcess {
  child: ChildProcess
  port: number
  /** Every line the server logged so far. */
  logs: string[]
  exited: Promise<number | null>
}

const ENTRY = ['--import', 'tsx', 'src/server.ts']

/**
 * Starts src/server.ts (or `entry`, node's arguments) on a free loopback port; resolves once it listens
 * (rejects if it exits first).
 */
export async function startServer (env: Record<string, string> = {}, entry: string[] = ENTRY): Promise<ServerProcess> {
  const child = spawn(process.execPath, entry, {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const logs: string[] = []
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(line)
        const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line)
        if (match) resolve(Number(match[1]))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${logs.join('\n')}`)))
  })
  return { child, port, logs, exited }
}

/** Runs src/server.ts to its exit (for start-up failures): its exit code and output. */
export async function runServerToExit (env: Record<string, string>): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, ENTRY, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const [code] = await once(child, 'exit')
  return { code: code as number | null, output }
}

/** Bundles the server as `npm run build` does, into `dir`; returns node's arguments to run the bundle. */
export function buildBundle (dir: string): string[] {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle.ts', dir], { stdio: 'inherit' })
  return [join(dir, 'server.cjs')]
}
