import type { HeapProfiler } from 'node:inspector'
import { test } from 'tap'
import { allocationsPerRequest, frameName, largestAllocationIncreases } from '../../bench/allocation-report.js'

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, scriptId: '0', columnNumber: 0 })
const node = (callFrame: ReturnType<typeof frame>, selfSize: number, children: HeapProfiler.SamplingHeapProfileNode[] = []): HeapProfiler.SamplingHeapProfileNode => ({ callFrame, selfSize, children })

// Shaped as HeapProfiler.stopSampling returns it: a tree of call frames, each with the bytes it allocated itself.
const PROFILE = {
  head: node(frame('(root)', '', -1), 0, [
    node(frame('parserOnIncoming', 'node:_http_server', 1025), 4000, [
      node(frame('routeHandler', 'file:///srv/app/dist/bundle/app.cjs', 37893), 2000, [
        node(frame('', '/srv/app/dist/bundle/app.cjs', 65561), 6000)
      ])
    ]),
    // The same function reached by another path adds up.
    node(frame('routeHandler', 'file:///srv/app/dist/bundle/app.cjs', 37893), 1000),
    node(frame('(V8 API)', '', -1), 500)
  ])
}

test('frames are named by function, file and line (1-based), without directories', async (t) => {
  t.equal(frameName(frame('routeHandler', 'file:///srv/app/dist/bundle/app.cjs', 37893)), 'routeHandler app.cjs:37894')
  t.equal(frameName(frame('', '/srv/app/dist/bundle/app.cjs', 65561)), '(anonymous) app.cjs:65562')
  t.equal(frameName(frame('processHeader', 'node:_http_outgoing', 545)), 'processHeader node:_http_outgoing:546')
  t.equal(frameName(frame('(V8 API)', '', -1)), '(V8 API)')
})

test('bytes per request: the whole profile and each function, over every path that reaches it', async (t) => {
  const allocations = allocationsPerRequest(PROFILE, 10)
  t.equal(allocations.totalBytes, 1350)
  t.same(Object.fromEntries(allocations.byFunction), {
    'parserOnIncoming node:_http_server:1026': 400,
    'routeHandler app.cjs:37894': 300,
    '(anonymous) app.cjs:65562': 600,
    '(V8 API)': 50
  })
})

test('the functions whose allocations grew most come first; ones only one side has count from zero', async (t) => {
  const baseline = { totalBytes: 0, byFunction: new Map([['a', 100], ['b', 50], ['gone', 30]]) }
  const candidate = { totalBytes: 0, byFunction: new Map([['a', 150], ['b', 250], ['new', 80]]) }
  t.same(largestAllocationIncreases(baseline, candidate, 3).map((d) => [d.name, d.baselineBytes, d.candidateBytes]), [
    ['b', 50, 250],
    ['new', 0, 80],
    ['a', 100, 150]
  ])
  t.equal(largestAllocationIncreases(baseline, candidate, 10).at(-1)?.name, 'gone', 'a function that allocates less comes last')
})
