import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

export interface Server { child: ChildProcess, port: number, url: string, startedAt: number, listeningAt: number }

/**
 * The servers inherit this process's environment without NODE_EXTRA_CA_CERTS: node reads and parses that CA
 * bundle before it runs any JavaScript (tens of milliseconds for a system's bundle), which would count in the
 * cold start, and the server opens no TLS connections. The image does not set it either.
 */
function inheritedEnvironment (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

/**
 * Starts a server with node and `args` (compiled JavaScript, no TypeScript loader on the hot path); with
 * `ipc`, the server has an IPC channel (`child.send`); with `launcher`, node runs under that command
 * (`['valgrind', ...]`).
 */
export async function startServer (args: string[], env: Record<string, string> = {}, { ipc = false, launcher = [] as string[] } = {}): Promise<Server> {
  const startedAt = performance.now()
  const [command, ...commandArgs] = [...launcher, process.execPath, ...args]
  const child = spawn(command, commandArgs, {
    env: { ...inheritedEnvironment(), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit']
  })
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/i.exec(buffer)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)))
  })
  return { child, port, url: `http://127.0.0.1:${port}`, startedAt, listeningAt: performance.now() }
}

/** Stops the server: killed outright, or with SIGTERM let it shut down (and a launcher write its report). */
export async function stopServer (server: Server, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.kill(signal)
  await exited
}

/** CPU seconds the process has used in user space and in the kernel, from /proc (Linux). */
function cpuSeconds (pid: number): { user: number, system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 } // utime and stime, in clock ticks of 1/100 s
}

/** Resident set size of the process in bytes, from /proc (Linux). */
export function rssBytes (pid: number): number {
  const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1])
  return pages * 4096
}

export interface LoadResult {
  requests: number
  errors: number
  non2xx: number
  rps: number
  latencyMs: { p50: number, p95: number, p99: number, mean: number }
  /** User + system CPU time per request, and the kernel's part of it (system: the socket calls). */
  cpuPerRequestUs: number
  systemCpuPerRequestUs: number
  /** User + system CPU time per request of this process, which runs the load generator: it shares the machine's cores with the server. */
  loadGeneratorCpuPerRequestUs: number
  /** The largest answer of the run, status line and headers included, in bytes. */
  answerBytes: number
}

function percentile (sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/**
 * autocannon's POST of JSON `body` to `path` over keep-alive connections, for a duration or an amount of
 * requests; `onResponse` is told each answer's response time in ms.
 */
async function post (server: Server, path: string, body: string, connections: number,
  limit: { duration: number } | { amount: number, timeout: number }, onResponse: (responseTimeMs: number, bytes: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: `${server.url}${path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, ...limit },
      (err, result) => (err ? reject(err) : resolve(result)))
    instance.on('response', (_client, _status, bytes, responseTime) => { onResponse(responseTime, bytes) })
  })
}

/** Drives POST `path` with `body` over keep-alive connections for `seconds`; every response time is kept. */
export async function load (server: Server, path: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const times: number[] = []
  let answerBytes = 0
  const cpuBefore = cpuSeconds(server.child.pid as number)
  const loadGeneratorBefore = process.cpuUsage()
  const result = await post(server, path, body, connections, { duration: seconds }, (responseTime, bytes) => {
    times.push(responseTime)
    answerBytes = Math.max(answerBytes, bytes)
  })
  const loadGenerator = process.cpuUsage(loadGeneratorBefore)
  const cpuAfter = cpuSeconds(server.child.pid as number)
  const system = cpuAfter.system - cpuBefore.system
  const cpu = cpuAfter.user - cpuBefore.user + system
  const sorted = Float64Array.from(times).sort()
  const requests = result.requests.total
  return {
    requests,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: requests / seconds,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length },
    cpuPerRequestUs: (cpu / requests) * 1e6,
    systemCpuPerRequestUs: (system / requests) * 1e6,
    loadGeneratorCpuPerRequestUs: (loadGenerator.user + loadGenerator.system) / requests,
    answerBytes
  }
}

/** Throws unless every request of the run was answered with a 2xx: a benchmark of errors measures nothing. */
export function assertAnswered (name: string, result: LoadResult): void {
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`)
}

/**
 * Sends POST `path` with `body` exactly `amount` times over keep-alive connections; throws unless all got a
 * 2xx. Resolves to the seconds from the first request to the last answer: autocannon itself ends a run on a
 * whole second.
 */
export async function answerRequests (server: Server, path: string, body: string, connections: number, amount: number): Promise<number> {
  const start = performance.now()
  let lastAnswer = start
  const result = await post(server, path, body, connections, { amount, timeout: 60 }, () => { lastAnswer = performance.now() })
  if (result['2xx'] !== amount) {
    throw new Error(`${amount} requests sent, ${result['2xx']} answered with a 2xx (${result.non2xx} other answers, ${result.errors} errors, ${result.timeouts} timeouts)`)
  }
  return (lastAnswer - start) / 1000
}
