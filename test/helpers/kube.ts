import { execFile, execFileSync, spawn } from 'node:child_process'
import { request } from 'node:http'
import { promisify } from 'node:util'

/*
 * What the cluster test drives: kubectl and helm on the local cluster (scripts/cluster/exec puts both on
 * PATH and sets KUBECONFIG), and HTTP from inside its network to pods, ClusterIPs and NodePorts.
 */

export const NAMESPACE = process.env.NAMESPACE ?? 'default'
export const RELEASE = 'ml-api'
export const SELECTOR = `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/name=ml-api`

const run = promisify(execFile)

export async function kubectl (...args: string[]): Promise<string> {
  return (await run('kubectl', ['--namespace', NAMESPACE, ...args], { maxBuffer: 64 << 20 })).stdout
}

export async function kubectlJson<T> (...args: string[]): Promise<T> {
  return JSON.parse(await kubectl(...args, '-o', 'json')) as T
}

export async function helm (...args: string[]): Promise<string> {
  return (await run(process.env.HELM ?? 'helm', [...args, '--namespace', NAMESPACE], { maxBuffer: 64 << 20 })).stdout
}

/**
 * `make TARGET` on the cluster, VARS on its command line and in its environment; resolves with its exit code
 * and output. After `timeoutMs` its whole process group gets SIGINT, as Ctrl-C would send (a long-running
 * target such as logs or port-forward stops there).
 */
export function make (target: string, vars: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number, output: string }> {
  const args = ['--no-print-directory', target, `NAMESPACE=${NAMESPACE}`, `RELEASE=${RELEASE}`, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)]
  const child = spawn('make', args, { env: { ...process.env, ...vars }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const timer = setTimeout(() => { try { process.kill(-(child.pid ?? 0), 'SIGINT') } catch { /* already gone */ } }, timeoutMs)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, output })
    })
  })
}

export async function waitFor<T> (what: string, seconds: number, probe: () => Promise<T | undefined | false>, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + seconds * 1000
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s until ${what}, in vain${last ? `: ${String(last)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

export interface Pod {
  metadata: { name: string, uid: string, annotations?: Record<string, string>, deletionTimestamp?: string }
  spec: { containers: { resources: unknown }[] }
  status: {
    podIP?: string
    phase: string
    conditions?: { type: string, status: string }[]
    containerStatuses?: { name: string, containerID?: string, restartCount: number, ready: boolean }[]
  }
}

export async function pods (): Promise<Pod[]> {
  return (await kubectlJson<{ items: Pod[] }>('get', 'pods', '--selector', SELECTOR)).items
}

export const isReady = (pod: Pod) => !pod.metadata.deletionTimestamp && (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)

export async function readyPods (): Promise<Pod[]> {
  return (await pods()).filter(isReady)
}

/** The pod IPs behind the Service, from its EndpointSlices (ready endpoints only). */
export async function serviceEndpoints (service = RELEASE): Promise<string[]> {
  const slices = await kubectlJson<{ items: { endpoints?: { addresses: string[], conditions?: { ready?: boolean } }[] }[] }>(
    'get', 'endpointslices', '--selector', `kubernetes.io/service-name=${service}`)
  return slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses).sort()
}

/** The host PID of a pod's server (its container's init process), from containerd. */
export function serverPid (pod: Pod): number {
  const id = pod.status.containerStatuses?.find((c) => c.name === 'ml-api')?.containerID?.replace(/^containerd:\/\//, '')
  if (!id) throw new Error(`pod ${pod.metadata.name} has no running container`)
  const tasks = execFileSync('ctr', ['--address', process.env.CONTAINERD_SOCKET ?? '', '--namespace', 'k8s.io', 'tasks', 'ls'], { encoding: 'utf8' })
  const line = tasks.split('\n').find((l) => l.startsWith(id))
  const pid = Number(line?.split(/\s+/)[1])
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no task for container ${id} of pod ${pod.metadata.name}`)
  return pid
}

export interface Answer { started: number, ended: number, status: number | string }

/**
 * POSTs one row to URL/predict on a fresh connection (so that kube-proxy picks an endpoint per request,
 * as it does per connection), with a timeout; resolves with the status or the error code.
 */
export function predictOnce (url: string, timeoutMs = 5000, rows = 1): Promise<Answer> {
  const body = rows === 1 ? '{"features":[6.1,2.8,4.7,1.2]}' : JSON.stringify({ instances: Array.from({ length: rows }, () => [6.1, 2.8, 4.7, 1.2]) })
  const started = Date.now()
  return new Promise((resolve) => {
    const req = request(`${url}/predict`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' }, timeout: timeoutMs }, (res) => {
      res.resume()
      res.on('end', () => { resolve({ started, ended: Date.now(), status: res.statusCode ?? 0 }) })
      res.on('error', (err: NodeJS.ErrnoException) => { resolve({ started, ended: Date.now(), status: err.code ?? 'error' }) })
    })
    req.on('timeout', () => { req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })) })
    req.on('error', (err: NodeJS.ErrnoException) => { resolve({ started, ended: Date.now(), status: err.code ?? 'error' }) })
    req.end(body)
  })
}

/** A steady load: `rate` requests per second, each on its own connection, until stop(). */
export function steadyLoad (url: string, rate: number, timeoutMs = 5000): { stop: () => Promise<Answer[]> } {
  const answers: Promise<Answer>[] = []
  const timer = setInterval(() => { answers.push(predictOnce(url, timeoutMs)) }, 1000 / rate)
  return {
    stop: async () => {
      clearInterval(timer)
      return Promise.all(answers)
    }
  }
}

export const failed = (answers: Answer[]) => answers.filter((a) => a.status !== 200)

/** Requests answered by each pod so far, from its own /metrics (http_requests_total of /predict). */
export async function predictCount (pod: Pod): Promise<number> {
  const text = await (await fetch(`http://${pod.status.podIP}:8080/metrics`)).text()
  return [...text.matchAll(/^http_requests_total\{[^}]*route="\/predict"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0)
}

export async function serviceIp (service = RELEASE): Promise<string> {
  return (await kubectl('get', 'service', service, '-o', 'jsonpath={.spec.clusterIP}')).trim()
}

export async function nodePort (service = RELEASE): Promise<number> {
  return Number(await kubectl('get', 'service', service, '-o', 'jsonpath={.spec.ports[?(@.name=="http")].nodePort}'))
}
