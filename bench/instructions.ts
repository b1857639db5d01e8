/**
 * make bench-instructions: the instructions one one-row POST /predict executes, against the bare route of
 * make bench, counted by valgrind's cachegrind. Time on these shared machines moves by ±20 % between runs;
 * the instructions of a request move far less, so smaller changes to the hot path can be told apart.
 * Writes bench/results/instructions.md. Needs valgrind (Debian/Ubuntu: apt-get install valgrind).
 *
 *   npm run bench:instructions [-- --first 8000 --second 16000 --connections 10 --reps 2]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { type InstructionCount, instructionsPerRequest, timerInstructionsPerRequest, totalInstructions } from './cachegrind.js'
import { log, requireCommand } from './console.js'
import { answerRequests, type Server, startServer, stopServer } from './http.js'
import { alternatingOrder, API_SCRIPT, BARE_SCRIPT, MODEL, ROW, underStartFlags } from './servers.js'
import { formatSummary, machineDescription, summarize } from './stats.js'

const { values } = parseArgs({
  options: {
    first: { type: 'string', default: '8000' },
    second: { type: 'string', default: '16000' },
    connections: { type: 'string', default: '10' },
    reps: { type: 'string', default: '2' },
    'idle-first': { type: 'string', default: '40' },
    'idle-second': { type: 'string', default: '100' }
  }
})
const FIRST = Number(values.first)
const SECOND = Number(values.second)
const CONNECTIONS = Number(values.connections)
const REPS = Number(values.reps)
const IDLE_FIRST = Number(values['idle-first'])
const IDLE_SECOND = Number(values['idle-second'])
const OUTPUT = 'bench/results/instructions.md'

requireCommand('valgrind', 'make bench-instructions needs valgrind on the PATH (Debian/Ubuntu: apt-get install valgrind)')

// --single-threaded: V8 compiles and collects garbage on the main thread, at points set by the work done
// rather than by timing, so one build gives about the same count from run to run.
const FLAGS = ['--single-threaded']
const SERVERS = {
  'bare route': { args: underStartFlags(BARE_SCRIPT, FLAGS), env: {} },
  // Under valgrind the server runs many times slower: its event loop lags, and it would shed.
  '/predict': { args: underStartFlags(API_SCRIPT, FLAGS), env: { ...MODEL, SHED_MAX_EVENT_LOOP_DELAY_MS: '0' } }
}
type ServerName = keyof typeof SERVERS

const workDir = mkdtempSync(join(tmpdir(), 'ml-api-instructions-'))

/** A fresh server under cachegrind: `work` is done to it, then it is shut down; its total instructions. */
async function underCachegrind (name: ServerName, label: string, work: (server: Server) => Promise<void>): Promise<number> {
  const output = join(workDir, `${name === '/predict' ? 'predict' : 'bare'}-${label}.out`)
  const launcher = ['valgrind', '-q', '--tool=cachegrind', '--cache-sim=no', '--smc-check=all-non-file', `--cachegrind-out-file=${output}`]
  const server = await startServer(SERVERS[name].args, SERVERS[name].env, { launcher })
  try {
    await work(server)
  } catch (err) {
    await stopServer(server)
    throw err
  }
  await stopServer(server, 'SIGTERM')
  return totalInstructions(readFileSync(output, 'utf8'))
}

/** A fresh server answering `requests` one-row requests. */
async function count (name: ServerName, requests: number): Promise<InstructionCount> {
  let seconds = 0
  const instructions = await underCachegrind(name, String(requests), async (server) => {
    seconds = await answerRequests(server, '/predict', ROW, CONNECTIONS, requests)
  })
  return { requests, instructions, seconds }
}

/** What a fresh server executes per second while it answers nothing: its timers, past start-up. */
async function idlePerSecond (name: ServerName): Promise<number> {
  const idle = (seconds: number) => underCachegrind(name, `idle-${seconds}`, () => sleep(seconds * 1000))
  const [first, second] = await Promise.all([idle(IDLE_FIRST), idle(IDLE_SECOND)])
  return (second - first) / (IDLE_SECOND - IDLE_FIRST)
}

const pairs: Record<ServerName, Array<[InstructionCount, InstructionCount]>> = { 'bare route': [], '/predict': [] }
for (let rep = 0; rep < REPS; rep++) {
  for (const name of alternatingOrder(Object.keys(SERVERS) as ServerName[], rep)) {
    log(`${name}, repetition ${rep + 1}`)
    // The machine's two cores run the two runs of one server at once: the counts barely depend on timing.
    pairs[name].push(await Promise.all([count(name, FIRST), count(name, SECOND)]))
  }
}
log('/predict, idle')
const idleRate = await idlePerSecond('/predict')
rmSync(workDir, { recursive: true, force: true })

const perRequest = (name: ServerName) => summarize(pairs[name].map((pair) => instructionsPerRequest(...pair)))
const extraSeconds = (name: ServerName) => summarize(pairs[name].map(([shorter, longer]) => longer.seconds - shorter.seconds))
const timers = summarize(pairs['/predict'].map((pair) => timerInstructionsPerRequest(...pair, idleRate))).median
const bare = perRequest('bare route').median
const predict = perRequest('/predict').median
const number = (x: number) => Math.round(x).toLocaleString('en-US')
const row = (name: ServerName) => `| ${name} | ${formatSummary(extraSeconds(name), 1)} | ${formatSummary(perRequest(name))} |`

const markdown = `# Instructions per request: POST /predict against the bare route

\`make bench-instructions\` of ${new Date().toISOString().slice(0, 10)} on ${machineDescription()}.

Both servers of \`make bench\` (the bare route and \`npm start\`) under valgrind's cachegrind, which counts the
instructions the server executes (all its threads, not the kernel's). To npm start's node flags it adds
\`--single-threaded\`: V8 then compiles and collects garbage on the main thread, at points set by the work done
rather than by timing. Each server ran twice, fresh, answering ${number(FIRST)} and then ${number(SECOND)} one-row POST
/predict at ${CONNECTIONS} connections; ${REPS} repetitions, alternating the servers. The difference of the two counts, divided by the ${number(SECOND - FIRST)} requests between them, is the
cost of a warmed-up request: start-up, warm-up and shut-down are in both runs and cancel out. The /predict server's
event-loop-delay check for shedding is off (\`SHED_MAX_EVENT_LOOP_DELAY_MS=0\`; the load-shedding hook still runs):
under valgrind the server runs many times slower, and would shed.

| server | the extra requests took (s) | instructions per request |
|---|---:|---:|
${row('bare route')}
${row('/predict')}

/predict executes **${(predict / bare).toFixed(2)}x** the bare route's instructions per request (ratio of the medians).

Part of that is not the requests' own work. The /predict server's timers sample its event loop and memory
whatever it does: idle, past start-up, it executed ${number(idleRate)} instructions a second (two more fresh servers,
idle for ${IDLE_FIRST} and ${IDLE_SECOND} s after they started listening; the difference over the ${IDLE_SECOND - IDLE_FIRST} s between). Under valgrind the extra
requests took ${extraSeconds('/predict').median.toFixed(1)} s (median), so about ${number(timers)} of /predict's instructions per request are the timers' (at full speed, with requests
coming many times faster, far fewer). Less that part, /predict executes
${((predict - timers) / bare).toFixed(2)}x the bare route's instructions per request. The bare route runs no timers of its own.

These counts move with the machine's load far less than time does: compare the repetitions above with the
min – max of \`make bench\`. They are not time: they leave out the kernel's part and the cost of cache misses,
which \`make bench\` and \`make profile\` include.
`
writeFileSync(OUTPUT, markdown)
log(`wrote ${OUTPUT}`)
