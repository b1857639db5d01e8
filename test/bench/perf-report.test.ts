import { test } from 'tap'
import { costPerRequest, inclusiveShare, largestIncreases, normalizeSymbol, parseSelfSamples, WAKE_UP_SYMBOL } from '../../bench/perf-report.js'

// Shaped as `perf report --no-children --stdio -n --sort dso,sym -g none` prints it (perf 6.1).
const SELF = `# Samples: 2K of event 'cpu-clock'
#
# Overhead       Samples  Shared Object        Symbol
# ........  ............  ...................  ......
#
    40.00%           800  [kernel.kallsyms]    [k] _raw_spin_unlock_irqrestore
    25.00%           500  node                 [.] Builtins_KeyedLoadIC_Megamorphic
    15.00%           300  [JIT] tid 4876       [.] JS:*find /srv/app/node_modules/find-my-way/index.js:1:2
     5.00%           100  [JIT] tid 4876       [.] JS:~find /srv/app/dist/bundle/app.cjs:3:4
     5.00%           100  [JIT] tid 4876       [.] JS:* file:///srv/app/dist/bundle/app.cjs:65538:6
    10.00%           200  libc.so.6            [.] 0x00000000000a1b2c
`

const CHILDREN = `# Children      Self       Samples  Symbol
    91.95%     0.00%             0  [.] node::Start
    12.50%     0.10%             2  [k] sock_def_readable
     7.02%     7.02%          1717  [k] _raw_spin_unlock_irqrestore
`

test('JavaScript functions go by name across tiers and builds; anonymous ones keep file and position, not directories', async (t) => {
  t.equal(normalizeSymbol('JS:*find /srv/app/node_modules/find-my-way/index.js:1:2'), 'find')
  t.equal(normalizeSymbol('JS:^onSendEnd node:_http_outgoing:1:2'), 'onSendEnd')
  t.equal(normalizeSymbol('JS:* file:///srv/app/dist/bundle/app.cjs:65538:6'), '(anonymous) app.cjs:65538:6')
  t.equal(normalizeSymbol('JS:* node:internal/streams/writable:744:21'), '(anonymous) node:internal/streams/writable:744:21')
  t.equal(normalizeSymbol('v8::internal::Heap::Scavenge 0x1f'), 'v8::internal::Heap::Scavenge')
})

test('self samples are read by area, one entry per normalised symbol', async (t) => {
  const symbols = parseSelfSamples(SELF)
  t.same(symbols.map((s) => [s.area, s.symbol, s.samples]), [
    ['kernel', '_raw_spin_unlock_irqrestore', 800],
    ['node', 'Builtins_KeyedLoadIC_Megamorphic', 500],
    ['javascript', 'find', 400],
    ['javascript', '(anonymous) app.cjs:65538:6', 100],
    ['libraries', '(no symbol)', 200]
  ])
})

test('the inclusive share of the wake-up function comes from the Children column', async (t) => {
  t.equal(inclusiveShare(CHILDREN, WAKE_UP_SYMBOL), 0.125)
  t.equal(inclusiveShare(CHILDREN, 'not_sampled'), 0)
})

test('samples become CPU µs per request, in total, by area and for the wake-up', async (t) => {
  // 2,000 samples at 1,000 per second are 2 s of CPU; over 100,000 requests, 20 µs each.
  const cost = costPerRequest({ requests: 100_000, frequency: 1000, symbols: parseSelfSamples(SELF), wakeUpSamples: 250 })
  t.equal(cost.totalUs, 20)
  t.same(cost.byArea, { kernel: 8, node: 5, javascript: 5, libraries: 2 })
  t.equal(cost.wakeUpUs, 2.5)
})

test('the largest increases come first, including symbols only one side has', async (t) => {
  const baseline = costPerRequest({ requests: 100_000, frequency: 1000, symbols: parseSelfSamples(SELF), wakeUpSamples: 0 })
  const candidate = costPerRequest({
    requests: 50_000,
    frequency: 1000,
    symbols: [...parseSelfSamples(SELF), { area: 'javascript', symbol: 'onResFinished', samples: 50 }],
    wakeUpSamples: 0
  })
  const [first, second] = largestIncreases(baseline, candidate, 2)
  t.same(first, { area: 'kernel', symbol: '_raw_spin_unlock_irqrestore', baselineUs: 8, candidateUs: 16 })
  t.equal(second.symbol, 'Builtins_KeyedLoadIC_Megamorphic')
  t.equal(largestIncreases(baseline, candidate, 10).find((d) => d.symbol === 'onResFinished')?.baselineUs, 0)
})
