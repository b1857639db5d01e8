import type { Container, Manifest, PodSpec } from './chart.js'
import { podSpecs } from './chart.js'

/*
 * Policy checks over rendered manifests: the Pod Security Standards "restricted" profile (the fields of
 * the pod-security-admission check_*.go files) and kube-linter's default checks. kube-linter itself is
 * not available here, so its defaults are implemented from its documentation, one function each.
 * Every check returns messages, one per violation.
 */

const allContainers = (spec: PodSpec): Container[] => [...spec.containers, ...(spec.initContainers ?? [])]
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'])
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'])

export function podSecurityRestricted (manifests: Manifest[]): string[] {
  const problems: string[] = []
  for (const { where, spec } of podSpecs(manifests)) {
    const pod = spec.securityContext ?? {}
    const fail = (message: string) => problems.push(`${where}: ${message}`)
    if (spec.hostNetwork === true || spec.hostPID === true || spec.hostIPC === true) fail('host namespaces')
    for (const volume of spec.volumes ?? []) {
      const type = Object.keys(volume).find((k) => k !== 'name') ?? ''
      if (!RESTRICTED_VOLUMES.has(type)) fail(`volume type ${type} is not allowed`)
    }
    for (const sysctl of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(sysctl.name)) fail(`sysctl ${sysctl.name}`)
    if (pod.runAsUser === 0) fail('pod runAsUser 0')
    for (const c of allContainers(spec)) {
      const sc = c.securityContext ?? {}
      const at = (message: string) => fail(`container ${c.name}: ${message}`)
      if (sc.privileged === true) at('privileged')
      if (sc.allowPrivilegeEscalation !== false) at('allowPrivilegeEscalation must be false')
      if (sc.runAsNonRoot !== true && pod.runAsNonRoot !== true) at('runAsNonRoot must be true (pod or container)')
      if (sc.runAsUser === 0) at('runAsUser 0')
      const seccomp = (sc.seccompProfile as { type?: string } | undefined)?.type ?? pod.seccompProfile?.type
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') at('seccompProfile must be RuntimeDefault or Localhost')
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) at('capabilities must drop ALL')
      for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') at(`capability ${cap} added`)
      if (sc.procMount !== undefined && sc.procMount !== 'Default') at('procMount')
      for (const port of c.ports ?? []) if ((port as { hostPort?: number }).hostPort) at('hostPort')
    }
  }
  return problems
}

type Check = (manifests: Manifest[]) => string[]

const selectorMatches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v)

const podTemplates = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Deployment').map((m) => {
  const spec = m.spec as { replicas?: number, selector: { matchLabels: Record<string, string> }, template: { metadata: { labels: Record<string, string> }, spec: PodSpec } }
  return { name: m.metadata.name, spec, labels: spec.template.metadata.labels }
})

/** kube-linter's checks enabled by default, by their kube-linter names. */
export const KUBE_LINTER_DEFAULT_CHECKS: Record<string, Check> = {
  'dangling-service': (ms) => ms.filter((m) => m.kind === 'Service').filter((svc) => {
    const selector = (svc.spec as { selector?: Record<string, string> }).selector ?? {}
    return !podTemplates(ms).some((d) => selectorMatches(selector, d.labels))
  }).map((svc) => `Service/${svc.metadata.name} selects no pod`),
  'deprecated-service-account-field': (ms) => podSpecs(ms).filter((p) => p.spec.serviceAccount !== undefined).map((p) => `${p.where}: serviceAccount field`),
  'docker-sock': (ms) => podSpecs(ms).filter((p) => JSON.stringify(p.spec.volumes ?? []).includes('docker.sock')).map((p) => `${p.where}: docker.sock`),
  'drop-net-raw-capability': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec)
    .filter((c) => !(c.securityContext?.capabilities?.drop ?? []).some((d) => d === 'ALL' || d === 'NET_RAW')).map((c) => `${p.where}/${c.name}: NET_RAW not dropped`)),
  'duplicate-env-var': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => {
    const names = (c.env ?? []).map((e) => e.name)
    return new Set(names).size !== names.length
  }).map((c) => `${p.where}/${c.name}: duplicate env`)),
  'env-var-secret': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).flatMap((c) => (c.env ?? [])
    .filter((e) => /secret/i.test(e.name) && e.value !== undefined).map((e) => `${p.where}/${c.name}: ${e.name} holds a literal secret`))),
  'host-ipc': (ms) => podSpecs(ms).filter((p) => p.spec.hostIPC === true).map((p) => p.where),
  'host-network': (ms) => podSpecs(ms).filter((p) => p.spec.hostNetwork === true).map((p) => p.where),
  'host-pid': (ms) => podSpecs(ms).filter((p) => p.spec.hostPID === true).map((p) => p.where),
  'invalid-target-ports': (ms) => ms.filter((m) => m.kind === 'Service').flatMap((svc) =>
    ((svc.spec as { ports: { targetPort?: string | number }[] }).ports).filter((p) => typeof p.targetPort === 'string' && !/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(p.targetPort))
      .map((p) => `Service/${svc.metadata.name}: target port ${String(p.targetPort)}`)),
  'job-ttl-seconds-after-finished': (ms) => ms.filter((m) => m.kind === 'Job' && (m.spec as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished === undefined).map((m) => `Job/${m.metadata.name}`),
  'latest-tag': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => !c.image.includes('@') && (/:latest$/.test(c.image) || !/:[^/]+$/.test(c.image)))
    .map((c) => `${p.where}/${c.name}: image ${c.image} is untagged or latest`)),
  'liveness-port': (ms) => probePortProblems(ms, 'livenessProbe'),
  'readiness-port': (ms) => probePortProblems(ms, 'readinessProbe'),
  'startup-port': (ms) => probePortProblems(ms, 'startupProbe'),
  'mismatching-selector': (ms) => podTemplates(ms).filter((d) => !selectorMatches(d.spec.selector.matchLabels, d.labels)).map((d) => `Deployment/${d.name}`),
  'no-anti-affinity': (ms) => {
    const hpaMin = (name: string) => (ms.find((m) => m.kind === 'HorizontalPodAutoscaler' && (m.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === name)?.spec as { minReplicas?: number } | undefined)?.minReplicas
    return podTemplates(ms).filter((d) => (d.spec.replicas ?? hpaMin(d.name) ?? 1) >= 2 && d.spec.template.spec.affinity?.podAntiAffinity === undefined).map((d) => `Deployment/${d.name}: no podAntiAffinity`)
  },
  'no-extensions-v1beta': (ms) => ms.filter((m) => /^(extensions\/v1beta1|apps\/v1beta[12])$/.test(m.apiVersion)).map((m) => `${m.kind}/${m.metadata.name}`),
  'no-read-only-root-fs': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => c.securityContext?.readOnlyRootFilesystem !== true).map((c) => `${p.where}/${c.name}`)),
  'non-existent-service-account': (ms) => podSpecs(ms).filter((p) => {
    const name = p.spec.serviceAccountName
    return name !== undefined && name !== 'default' && !ms.some((m) => m.kind === 'ServiceAccount' && m.metadata.name === name)
  }).map((p) => `${p.where}: ServiceAccount ${String(p.spec.serviceAccountName)} is not in the chart`),
  'pdb-max-unavailable': (ms) => ms.filter((m) => m.kind === 'PodDisruptionBudget' && [0, '0', '0%'].includes((m.spec as { maxUnavailable?: number | string }).maxUnavailable as number)).map((m) => `PodDisruptionBudget/${m.metadata.name}: maxUnavailable 0`),
  'pdb-min-available': (ms) => ms.filter((m) => m.kind === 'PodDisruptionBudget').filter((pdb) => {
    const min = (pdb.spec as { minAvailable?: number | string }).minAvailable
    if (typeof min !== 'number') return min === '100%'
    const deployment = podTemplates(ms).find((d) => selectorMatches((pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, d.labels))
    const hpa = ms.find((m) => m.kind === 'HorizontalPodAutoscaler' && (m.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === deployment?.name)
    const replicas = (hpa?.spec as { minReplicas?: number } | undefined)?.minReplicas ?? deployment?.spec.replicas ?? 1
    return min >= replicas
  }).map((pdb) => `PodDisruptionBudget/${pdb.metadata.name} blocks every disruption`),
  'pdb-unhealthy-pod-eviction-policy': (ms) => ms.filter((m) => m.kind === 'PodDisruptionBudget' && (m.spec as { unhealthyPodEvictionPolicy?: string }).unhealthyPodEvictionPolicy === undefined)
    .map((m) => `PodDisruptionBudget/${m.metadata.name}: unhealthyPodEvictionPolicy unset`),
  'privilege-escalation-container': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => `${p.where}/${c.name}`)),
  'privileged-container': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => c.securityContext?.privileged === true).map((c) => `${p.where}/${c.name}`)),
  'run-as-non-root': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => {
    const sc = { ...p.spec.securityContext, ...c.securityContext }
    return sc.runAsNonRoot !== true || sc.runAsUser === 0 || sc.runAsGroup === 0
  }).map((c) => `${p.where}/${c.name}: may run as root`)),
  'sensitive-host-mounts': (ms) => podSpecs(ms).filter((p) => (p.spec.volumes ?? []).some((v) => 'hostPath' in v)).map((p) => `${p.where}: hostPath`),
  'ssh-port': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => (c.ports ?? []).some((port) => port.containerPort === 22)).map((c) => `${p.where}/${c.name}`)),
  'unsafe-sysctls': (ms) => podSpecs(ms).flatMap((p) => (p.spec.securityContext?.sysctls ?? []).filter((s) => !SAFE_SYSCTLS.has(s.name)).map((s) => `${p.where}: ${s.name}`)),
  'unset-cpu-requirements': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => c.resources?.requests?.cpu === undefined).map((c) => `${p.where}/${c.name}: no CPU request`)),
  'unset-memory-requirements': (ms) => podSpecs(ms).flatMap((p) => allContainers(p.spec).filter((c) => c.resources?.requests?.memory === undefined).map((c) => `${p.where}/${c.name}: no memory request`))
}

/** A probe must target a port the container exposes (by name or number). */
function probePortProblems (manifests: Manifest[], probe: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): string[] {
  return podSpecs(manifests).flatMap((p) => allContainers(p.spec).flatMap((c) => {
    const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port
    if (port === undefined) return []
    const exposed = (c.ports ?? []).some((cp) => cp.name === port || cp.containerPort === port)
    return exposed ? [] : [`${p.where}/${c.name}: ${probe} targets port ${port}, which the container does not expose`]
  }))
}
