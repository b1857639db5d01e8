import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

export const CHART = fileURLToPath(new URL('../../chart', import.meta.url))
/** The helm binary: `make test` builds the pinned one and passes it in HELM. */
export const HELM = process.env.HELM ?? 'helm'
const KUBE_VERSION = '1.31.0'

export interface Manifest { apiVersion: string, kind: string, metadata: { name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }, [key: string]: unknown }

/** The ci/*-values.yaml scenarios, by name. */
export function scenarios (): string[] {
  return readdirSync(`${CHART}/ci`).filter((f) => f.endsWith('-values.yaml')).map((f) => f.replace(/-values\.yaml$/, '')).sort()
}

export function helm (...args: string[]): string {
  return execFileSync(HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** helm template of the chart with a scenario's values and --set flags; every document, hooks included. */
export function render (scenario: string | undefined, set: string[] = [], release = 'ml-api', namespace = 'prod'): Manifest[] {
  const args = ['template', release, CHART, '--namespace', namespace, '--kube-version', KUBE_VERSION]
  if (scenario !== undefined) args.push('-f', `${CHART}/ci/${scenario}-values.yaml`)
  for (const s of set) args.push('--set', s)
  return parseAllDocuments(helm(...args)).map((doc) => doc.toJS() as Manifest | null).filter((doc): doc is Manifest => doc !== null)
}

/** Pod specs of every workload (Deployment templates and bare Pods), with where they come from. */
export function podSpecs (manifests: Manifest[]): { where: string, spec: PodSpec, metadataAnnotations: Record<string, string> }[] {
  return manifests.flatMap((m) => {
    if (m.kind === 'Deployment') {
      const template = (m.spec as { template: { spec: PodSpec, metadata: { annotations?: Record<string, string> } } }).template
      return [{ where: `Deployment/${m.metadata.name}`, spec: template.spec, metadataAnnotations: template.metadata.annotations ?? {} }]
    }
    if (m.kind === 'Pod') return [{ where: `Pod/${m.metadata.name}`, spec: m.spec as PodSpec, metadataAnnotations: m.metadata.annotations ?? {} }]
    return []
  })
}

export interface Container {
  name: string
  image: string
  ports?: { name?: string, containerPort: number }[]
  env?: { name: string, value?: string, valueFrom?: unknown }[]
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[], add?: string[] } }
  resources?: { requests?: Record<string, string>, limits?: Record<string, string> }
  livenessProbe?: Probe
  readinessProbe?: Probe
  startupProbe?: Probe
  volumeMounts?: { name: string, mountPath: string }[]
}
interface Probe { httpGet?: { port: string | number }, tcpSocket?: { port: string | number } }
export interface PodSpec {
  containers: Container[]
  initContainers?: Container[]
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string }, sysctls?: { name: string }[] }
  volumes?: Record<string, unknown>[]
  serviceAccountName?: string
  serviceAccount?: string
  hostNetwork?: boolean
  hostPID?: boolean
  hostIPC?: boolean
  affinity?: { podAntiAffinity?: unknown }
}
