import t from 'tap'
import { instructionsPerRequest, timerInstructionsPerRequest, totalInstructions } from '../../bench/cachegrind.js'

const OUTPUT = `desc: I1 cache:
cmd: /usr/bin/node --max-semi-space-size=4 --single-threaded dist/bundle/server.mjs
events: Ir
fl=???
fn=0x000000000010a2c0
0 12
summary: 4356950590
`

t.test('totalInstructions reads the summary line of a cachegrind output', async (t) => {
  t.equal(totalInstructions(OUTPUT), 4356950590)
  t.throws(() => totalInstructions(OUTPUT.replace(/^summary:.*$/m, '')), /no summary line/)
  t.throws(() => totalInstructions('summary: many\n'), /no summary line/)
})

t.test('instructionsPerRequest takes what the longer run executed beyond the shorter, per extra request', async (t) => {
  t.equal(instructionsPerRequest({ requests: 8000, instructions: 4_356_950_590, seconds: 20 }, { requests: 16000, instructions: 5_374_064_515, seconds: 41 }), 127_139.240625)
  t.throws(() => instructionsPerRequest({ requests: 8000, instructions: 2, seconds: 1 }, { requests: 8000, instructions: 3, seconds: 2 }), /must answer more requests/)
})

t.test('timerInstructionsPerRequest spreads the timers\' work of the longer run\'s extra time over its extra requests', async (t) => {
  t.equal(timerInstructionsPerRequest({ requests: 8000, instructions: 0, seconds: 20 }, { requests: 16000, instructions: 0, seconds: 41 }, 1_000_000), 2625)
  t.equal(timerInstructionsPerRequest({ requests: 8000, instructions: 0, seconds: 20 }, { requests: 16000, instructions: 0, seconds: 19 }, 1_000_000), 0, 'never below zero')
})
