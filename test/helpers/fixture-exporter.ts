import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Serves, on loopback, series with the names and labels kube-state-metrics (/metrics) and the
 * kubelet's cAdvisor (/metrics/cadvisor) really emit, for one pod of the release `release` in
 * `namespace`, so the pod and HPA queries of the dashboards and alerts can be evaluated.
 */
export async function startFixtureExporter (namespace: string, release: string, pod: string): Promise<{ port: number, server: Server }> {
  const started = Date.now()
  const kubeStateMetrics = () => [
    '# TYPE kube_deployment_status_replicas_available gauge',
    `kube_deployment_status_replicas_available{namespace="${namespace}",deployment="${release}"} 3`,
    '# TYPE kube_pod_container_status_restarts_total counter',
    `kube_pod_container_status_restarts_total{namespace="${namespace}",pod="${pod}",uid="0e8f6c1c-1b1e-4c1e-9d5a-2f1e0c9b7a11",container="ml-api"} 0`,
    ...[['status_current_replicas', 3], ['status_desired_replicas', 3], ['spec_min_replicas', 2], ['spec_max_replicas', 10]].flatMap(([name, value]) => [
      `# TYPE kube_horizontalpodautoscaler_${name} gauge`,
      `kube_horizontalpodautoscaler_${name}{namespace="${namespace}",horizontalpodautoscaler="${release}"} ${value}`
    ])
  ]
  const cadvisor = () => {
    const seconds = (Date.now() - started) / 1000
    const cgroup = `/kubepods/burstable/pod0e8f6c1c-1b1e-4c1e-9d5a-2f1e0c9b7a11`
    return [
      '# TYPE container_cpu_usage_seconds_total counter',
      `container_cpu_usage_seconds_total{container="ml-api",cpu="total",id="${cgroup}/3f2a",image="ml-api:1.0.0",name="3f2a",namespace="${namespace}",pod="${pod}"} ${(0.12 * seconds).toFixed(3)}`,
      `container_cpu_usage_seconds_total{container="",cpu="total",id="${cgroup}",image="",name="",namespace="${namespace}",pod="${pod}"} ${(0.125 * seconds).toFixed(3)}`,
      `container_cpu_usage_seconds_total{container="POD",cpu="total",id="${cgroup}/pause",image="registry.k8s.io/pause:3.9",name="pause",namespace="${namespace}",pod="${pod}"} 0.01`,
      '# TYPE container_memory_working_set_bytes gauge',
      `container_memory_working_set_bytes{container="ml-api",id="${cgroup}/3f2a",image="ml-api:1.0.0",name="3f2a",namespace="${namespace}",pod="${pod}"} 73400320`,
      `container_memory_working_set_bytes{container="",id="${cgroup}",image="",name="",namespace="${namespace}",pod="${pod}"} 75497472`
    ]
  }
  const server = createServer((request, response) => {
    const body = request.url === '/metrics' ? kubeStateMetrics() : request.url === '/metrics/cadvisor' ? cadvisor() : undefined
    if (body === undefined) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${body.join('\n')}\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, server }
}
