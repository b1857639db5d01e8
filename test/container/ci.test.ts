import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'

t.test('the GitHub workflow runs every make target .ci/run runs', async (t) => {
  const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')
  const targets = [...ciRun.matchAll(/^make ([\w-]+)$/gm)].map((m) => m[1])
  t.same(targets, ['test', 'test-e2e', 'test-monitoring', 'test-container'])
  const workflow = parse(readFileSync(new URL('../../.github/workflows/ci.yml', import.meta.url), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> }
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? '')).join('\n')
  // podman's test-container is the local stand-in for the workflow's docker buildx build and smoke run.
  for (const target of targets.filter((x) => x !== 'test-container')) t.match(runs, new RegExp(`make ${target}(\\s|$)`), `the workflow runs make ${target}`)
  t.match(runs, /make docker-smoke/, 'and smoke-runs the image it builds with buildx')
  t.match(runs, /npm audit --omit=dev --audit-level=high/)
})
