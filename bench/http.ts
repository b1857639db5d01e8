import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { freePort } from '../scripts/free-port.js'
import { percentile } from './stats.js'

/**
 * How to start a server: it listens on 127.0.0.1 at the port given in $PORT (in the environment, and for
 * `$PORT` in args), and answers GET /ready with 200 once it serves.
 */
export interface ServerSpec { name: string, command: string, args: string[], env?: Record<string, string>, cwd?: string }

export interface Server { spec: ServerSpec, child: ChildProcess, url: string, coldStartMs: number }

/**
 * The servers inherit this process's environment without NODE_EXTRA_CA_CERTS: node reads and parses that CA
 * bundle before it runs any JavaScript, which would count in the cold start, and no server opens TLS connections.
 */
function inheritedEnvironment (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

/** Starts the server and resolves once GET /ready answers 200; coldStartMs is the time from spawn to that answer. */
export async function startServer (spec: ServerSpec): Promise<Server> {
  const port = await freePort()
  const startedAt = performance.now()
  const child = spawn(spec.command, spec.args.map((arg) => arg.replaceAll('$PORT', String(port))), {
    cwd: spec.cwd,
    env: { ...inheritedEnvironment(), HOST: '127.0.0.1', PORT: String(port), ...spec.env },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  let exited: number | null | undefined
  child.once('exit', (code) => { exited = code })
  const url = `http://127.0.0.1:${port}`
  while (!await fetch(`${url}/ready`).then((r) => r.status === 200, () => false)) {
    if (exited !== undefined) throw new Error(`${spec.name} exited with ${exited} before it was ready`)
    await sleep(2)
  }
  return { spec, child, url, coldStartMs: performance.now() - startedAt }
}

export async function stopServer (server: Server): Promise<void> {
  if (server.child.exitCode !== null) return
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  for (const pid of processTree(server.child.pid as number).reverse()) {
    try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
  }
  await exited
}

/** The process and all its descendants (gunicorn's master and its worker), parents first (Linux /proc). */
function processTree (root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch { /* exited meanwhile */ }
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []))
  return tree
}

/** CPU seconds the server's processes have used in user space and in the kernel (utime and stime, in ticks of 1/100 s). */
function cpuSeconds (server: Server): number {
  return processTree(server.child.pid as number).reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return sum + (Number(fields[11]) + Number(fields[12])) / 100
  }, 0)
}

/** Resident set size of the server's processes together, in bytes. */
export function rssBytes (server: Server): number {
  return processTree(server.child.pid as number).reduce((sum, pid) => sum + Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096, 0)
}

export interface LoadResult {
  requests: number
  rps: number
  latencyMs: { p50: number, p99: number }
  /** The server's user + system CPU time per request. */
  cpuPerRequestUs: number
}

/**
 * Drives POST `path` with the JSON `body` over keep-alive connections for `seconds` (autocannon, from this
 * process); throws unless every request got a 2xx: a benchmark of errors measures nothing.
 */
export async function load (server: Server, path: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const times: number[] = []
  const cpuBefore = cpuSeconds(server)
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${server.url}${path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds },
      (err, r) => (err ? reject(err) : resolve(r)))
    instance.on('response', (_client, _status, _bytes, responseTime) => { times.push(responseTime) })
  })
  const cpu = cpuSeconds(server) - cpuBefore
  if (result.non2xx + result.errors > 0) {
    throw new Error(`${server.spec.name} ${path}: ${result.non2xx} answers other than 2xx and ${result.errors} errors in ${result.requests.total} requests`)
  }
  const sorted = times.sort((a, b) => a - b)
  const requests = result.requests.total
  return {
    requests,
    rps: requests / seconds,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
    cpuPerRequestUs: (cpu / requests) * 1e6
  }
}
