import * as k8s from 'kubernetes-models'
import * as monitoring from '@kubernetes-models/prometheus-operator'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import t from 'tap'
import { sha256Hex } from '../../src/model/load-model.js'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { CHART, helm, type Manifest, render, scenarios } from '../helpers/chart.js'
import { unknownFieldProblems } from '../helpers/manifest-types.js'
import { KUBE_LINTER_DEFAULT_CHECKS, podSecurityRestricted } from '../helpers/policy.js'

/** The kubernetes-models class of a manifest's apiVersion and kind. */
function modelOf ({ apiVersion, kind }: Manifest): (new (data: unknown) => { validate (): void }) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
  const root = (group === 'monitoring.coreos.com' ? monitoring : k8s) as unknown as Record<string, Record<string, Record<string, unknown>>>
  const groupKey = Object.keys(root).find((key) => key.toLowerCase() === (group === '' ? 'v1' : group.replace(/\./g, '').toLowerCase()))
  const models = group === '' ? root[groupKey ?? ''] : root[groupKey ?? '']?.[version]
  return (models as Record<string, unknown> | undefined)?.[kind] as (new (data: unknown) => { validate (): void }) | undefined
}

const ALL = scenarios()

t.test('the ci scenarios are the ones the chart documents', async (t) => {
  t.same(ALL, ['bundled-monitoring', 'custom-scaling', 'default', 'hpa-off', 'loadbalancer', 'model-image', 'monitoring'])
})

for (const scenario of ALL) {
  t.test(`scenario ${scenario}`, async (t) => {
    t.match(helm('lint', '--strict', CHART, '-f', `${CHART}/ci/${scenario}-values.yaml`), /1 chart\(s\) linted, 0 chart\(s\) failed/, 'helm lint --strict')
    const manifests = render(scenario)
    t.ok(manifests.length >= 7, `${manifests.length} documents`)
    for (const manifest of manifests) {
      const Model = modelOf(manifest)
      t.ok(Model, `${manifest.apiVersion} ${manifest.kind} has a model`)
      if (Model !== undefined) t.doesNotThrow(() => new Model(manifest).validate(), `${manifest.kind}/${manifest.metadata.name} validates`)
    }
    t.same(unknownFieldProblems(manifests), [], 'no unknown or misspelled field in any document')
    t.same(podSecurityRestricted(manifests), [], 'every pod meets Pod Security Standards "restricted"')
    for (const [check, run] of Object.entries(KUBE_LINTER_DEFAULT_CHECKS)) t.same(run(manifests), [], `kube-linter ${check}`)
  })
}

t.test('the checks catch what they are for', async (t) => {
  const [deployment] = render('default').filter((m) => m.kind === 'Deployment')
  const broken = structuredClone(deployment) as Manifest & { spec: { template: { spec: { containers: Record<string, unknown>[], hostNetwork?: boolean } } } }
  const container = broken.spec.template.spec.containers[0]
  container.securityContext = { privileged: true, allowPrivilegeEscalation: true }
  container.image = 'ml-api:latest'
  container.imagePullPolicy = 'Sometimes'
  container.livenessProbe = { httpGet: { path: '/health', port: 'metrics' } }
  broken.spec.template.spec.hostNetwork = true
  t.match(podSecurityRestricted([broken]).join('\n'), /host namespaces[\s\S]*privileged[\s\S]*allowPrivilegeEscalation[\s\S]*capabilities must drop ALL/)
  t.match(KUBE_LINTER_DEFAULT_CHECKS['latest-tag']([broken]).join(), /ml-api:latest/)
  t.match(KUBE_LINTER_DEFAULT_CHECKS['liveness-port']([broken]).join(), /targets port metrics/)
  t.match(KUBE_LINTER_DEFAULT_CHECKS['privileged-container']([broken]).join(), /ml-api/)
  t.match(unknownFieldProblems([broken]).join(), /"Sometimes"/, 'a bad enum value')
  t.throws(() => new (modelOf(broken) as new (d: unknown) => { validate (): void })({ ...broken, spec: { ...broken.spec, replicas: 'three' } }).validate())
})

t.test('a configuration change rolls the pods; other changes do not', async (t) => {
  const checksum = (set: string[]) => (render('default', set).find((m) => m.kind === 'Deployment')?.spec as { template: { metadata: { annotations: Record<string, string> } } })
    .template.metadata.annotations['checksum/config']
  const base = checksum([])
  t.match(base, /^[0-9a-f]{64}$/)
  t.not(checksum(['config.maxBatch=50']), base)
  t.not(checksum(['config.logLevel=debug']), base)
  t.equal(checksum(['podLabels.extra=one']), base)
})

t.test('helm upgrade --set autoscaling.maxReplicas=20 changes only the HPA', async (t) => {
  const before = render('default')
  const after = render('default', ['autoscaling.maxReplicas=20'])
  const changed = after.filter((m, i) => JSON.stringify(m) !== JSON.stringify(before[i])).map((m) => m.kind)
  t.same(changed, ['HorizontalPodAutoscaler'])
  t.equal((after.find((m) => m.kind === 'HorizontalPodAutoscaler')?.spec as { maxReplicas: number }).maxReplicas, 20)
})

t.test('objects live in the release namespace and no Namespace object is rendered', async (t) => {
  const manifests = render('bundled-monitoring', [], 'ml-api', 'team-a')
  t.notOk(manifests.some((m) => m.kind === 'Namespace'))
  for (const m of manifests.filter((m) => !m.kind.startsWith('Cluster'))) t.equal(m.metadata.namespace, 'team-a', `${m.kind}/${m.metadata.name}`)
})

t.test('helm --set-file model.artifact: the served artifact is the file, a new one rolls the pods, one past a ConfigMap\'s size is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-api-chart-'))
  const artifact = (name: string, text: string) => { writeFileSync(join(dir, name), text); return join(dir, name) }
  const rendered = (file: string) => parseAllDocuments(helm('template', 'ml-api', CHART, '--set-file', `model.artifact=${file}`))
    .map((doc) => doc.toJS() as Manifest | null).filter((doc): doc is Manifest => doc !== null)
  const committed = readFileSync(ARTIFACT_PATH, 'utf8')
  const first = rendered(artifact('a.json', committed))
  const stored = first.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ml-api-model') as unknown as { data: Record<string, string> }
  t.equal(stored.data['model.json'], committed, 'the ConfigMap holds the file byte for byte')
  const serverConfig = first.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ml-api') as unknown as { data: Record<string, string> }
  t.equal(serverConfig.data.MODEL_SHA256, sha256Hex(committed), 'the server checks the sha256 the chart computed')
  const checksum = (manifests: Manifest[]) => (manifests.find((m) => m.kind === 'Deployment')?.spec as { template: { metadata: { annotations: Record<string, string> } } })
    .template.metadata.annotations['checksum/config']
  t.not(checksum(rendered(artifact('b.json', committed.replace('"version":"1"', '"version":"2"')))), checksum(first), 'another artifact, another pod template')
  t.throws(() => rendered(artifact('big.json', 'x'.repeat(1_000_001))), /model.artifact is 1000001 bytes: a ConfigMap holds at most 1 MiB .* model.existingClaim/)
})
