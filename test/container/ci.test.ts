import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'

t.test('the GitHub workflow runs every make target .ci/run runs', async (t) => {
  const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')
  const targets = [...ciRun.matchAll(/^make ([\w-]+)$/gm)].map((m) => m[1])
  t.same(targets, ['test', 'test-e2e', 'test-monitoring', 'test-container', 'test-cluster'])
  const workflow = parse(readFileSync(new URL('../../.github/workflows/ci.yml', import.meta.url), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> }
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? '')).join('\n')
  // podman's test-container is the local stand-in for the workflow's docker buildx build and smoke run, and
  // test-cluster (a cluster built from source) for its kind job.
  for (const target of targets.filter((x) => x !== 'test-container' && x !== 'test-cluster')) t.match(runs, new RegExp(`make ${target}(\\s|$)`), `the workflow runs make ${target}`)
  t.match(runs, /make docker-smoke/, 'and smoke-runs the image it builds with buildx')
  t.match(runs, /kind load docker-image ml-api:1\.0\.0[\s\S]*helm install ml-api \.\/chart[\s\S]*helm test ml-api/, 'and installs the chart on kind with the image loaded, then runs helm test')
  t.match(runs, /npm audit --omit=dev --audit-level=high/)
})
