/**
 * make profile: where the CPU time of a one-row POST /predict goes, against the bare route of make bench,
 * by sampling both servers with Linux perf under the same load, and what each allocates per request (V8's
 * sampling heap profiler). Writes bench/results/profile.md.
 * Needs `perf` and the right to sample the server's kernel time (root, or kernel.perf_event_paranoid ≤ 1).
 *
 *   npm run profile [-- --reps 2 --seconds 10 --connections 10]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import type { HeapProfiler } from 'node:inspector'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { type Allocations, allocationsPerRequest, largestAllocationIncreases } from './allocation-report.js'
import { log, requireCommand } from './console.js'
import { assertAnswered, load, startServer, stopServer } from './http.js'
import {
  type Area, AREA_NAMES, costPerRequest, inclusiveShare, largestIncreases, mergeSamples, parseSelfSamples, type Profile,
  type ProfileCost, WAKE_UP_SYMBOL
} from './perf-report.js'
import { alternatingOrder, API_SCRIPT, BARE_SCRIPT, MODEL, ROW, underStartFlags } from './servers.js'
import { machineDescription } from './stats.js'

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    frequency: { type: 'string', default: '999' }
  }
})
const REPS = Number(values.reps)
const SECONDS = Number(values.seconds)
const CONNECTIONS = Number(values.connections)
const FREQUENCY = Number(values.frequency)
const WARM_UP_SECONDS = 5
const ALLOCATION_SECONDS = 5
const OUTPUT = 'bench/results/profile.md'

requireCommand('perf', 'make profile needs Linux perf on the PATH (Debian/Ubuntu: apt-get install linux-perf, or linux-tools-generic)')

/** Both servers' node arguments, with `flags` added to npm start's. */
const serversWith = (flags: string[]) => ({
  'bare route': underStartFlags(BARE_SCRIPT, flags),
  '/predict': underStartFlags(API_SCRIPT, flags)
})
type ServerName = keyof ReturnType<typeof serversWith>
// --perf-basic-prof makes V8 write the names of the functions it compiles where perf finds them.
const SERVERS = serversWith(['--perf-basic-prof'])
const SAMPLER = ['--import', './dist/bench/allocation-sampler.js']
// /predict from its sources, not the bundle: the frames of Fastify and Node, which both servers run, then name
// the same files in both profiles (in the bundle they are lines of app.cjs). tsx transpiles each module as it
// loads, before the sampled load, not per request.
const SAMPLED_SERVERS: Record<ServerName, string[]> = {
  'bare route': underStartFlags(BARE_SCRIPT, SAMPLER),
  '/predict': underStartFlags('src/server.ts', ['--import', 'tsx', ...SAMPLER])
}

function perfReport (data: string, args: string[]): string {
  return execFileSync('perf', ['report', '-i', data, '--stdio', '-n', '-g', 'none', ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, stdio: ['ignore', 'pipe', 'ignore'] })
}

async function stopped (perf: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => perf.once('exit', resolve))
  perf.kill('SIGINT')
  await exited
}

/** One server: warmed up, then sampled while it answers `SECONDS` of load. */
async function sample (name: ServerName): Promise<Profile> {
  const server = await startServer(SERVERS[name], MODEL)
  const data = join(tmpdir(), `ml-api-profile-${server.child.pid}.data`)
  try {
    await load(server, '/predict', ROW, CONNECTIONS, WARM_UP_SECONDS)
    const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', String(FREQUENCY), '-g', '-p', String(server.child.pid), '-o', data], { stdio: 'ignore' })
    await sleep(500)
    const result = await load(server, '/predict', ROW, CONNECTIONS, SECONDS)
    await stopped(perf)
    assertAnswered(name, result)
    const symbols = parseSelfSamples(perfReport(data, ['--no-children', '--sort', 'dso,sym']))
    const total = symbols.reduce((sum, s) => sum + s.samples, 0)
    const wakeUpSamples = inclusiveShare(perfReport(data, ['--children', '--sort', 'sym']), WAKE_UP_SYMBOL) * total
    log(`  ${name}: ${result.requests} requests, ${total} samples`)
    return { requests: result.requests, frequency: FREQUENCY, symbols, wakeUpSamples }
  } finally {
    await stopServer(server)
    rmSync(data, { force: true })
    rmSync(`/tmp/perf-${server.child.pid}.map`, { force: true })
  }
}

function nextMessage<T> (child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once('message', (message) => resolve(message as T)))
}

/** One server: warmed up, then its allocations sampled while it answers `ALLOCATION_SECONDS` of load. */
async function allocations (name: ServerName): Promise<Allocations> {
  const server = await startServer(SAMPLED_SERVERS[name], MODEL, { ipc: true })
  try {
    await load(server, '/predict', ROW, CONNECTIONS, WARM_UP_SECONDS)
    const started = nextMessage(server.child)
    server.child.send('start')
    await started
    const result = await load(server, '/predict', ROW, CONNECTIONS, ALLOCATION_SECONDS)
    const stopped = nextMessage<{ profile: HeapProfiler.SamplingHeapProfile }>(server.child)
    server.child.send('stop')
    const { profile } = await stopped
    assertAnswered(name, result)
    log(`  ${name}: ${result.requests} requests, allocations sampled`)
    return allocationsPerRequest(profile, result.requests)
  } finally {
    await stopServer(server)
  }
}

/** Repetitions pooled: their samples and requests added up. */
function pool (profiles: Profile[]): Profile {
  return {
    requests: profiles.reduce((sum, p) => sum + p.requests, 0),
    frequency: FREQUENCY,
    symbols: mergeSamples(profiles.flatMap((p) => p.symbols)),
    wakeUpSamples: profiles.reduce((sum, p) => sum + p.wakeUpSamples, 0)
  }
}

const runs: Record<ServerName, Profile[]> = { 'bare route': [], '/predict': [] }
for (let rep = 0; rep < REPS; rep++) {
  for (const name of alternatingOrder(Object.keys(SERVERS) as ServerName[], rep)) runs[name].push(await sample(name))
}
const bare = costPerRequest(pool(runs['bare route']))
const api = costPerRequest(pool(runs['/predict']))
log('allocations')
const bareAllocations = await allocations('bare route')
const apiAllocations = await allocations('/predict')

const us = (x: number) => x.toFixed(2)
const bytes = (x: number) => Math.round(x).toLocaleString('en-US')
/** A name in a table cell, as code: a `|` would end the cell. */
const code = (name: string) => `\`${name.replaceAll('|', '\\|')}\``
const row = (what: string, get: (cost: ProfileCost) => number) => `| ${what} | ${us(get(bare))} | ${us(get(api))} | ${us(get(api) - get(bare))} |`
const markdown = `# Where the CPU time of one request goes: POST /predict against the bare route

\`make profile\` of ${new Date().toISOString().slice(0, 10)} on ${machineDescription()}.

Both servers of \`make bench\` (the bare route and \`npm start\`), plus \`--perf-basic-prof\` so that perf can name the
JavaScript V8 compiled. Each was warmed up by ${WARM_UP_SECONDS} s of one-row POST /predict at ${CONNECTIONS} connections, then sampled
by \`perf record -e cpu-clock -F ${FREQUENCY} -g\` during ${SECONDS} s of the same load; ${REPS} repetitions each, alternating, pooled.
Server CPU time per request in µs, from the sample counts. Sampling and the flag add some time to both servers,
so compare the two columns rather than these figures with \`make bench\`'s.

| where | bare route | /predict | difference |
|---|---:|---:|---:|
${row('all', (c) => c.totalUs)}
${(Object.keys(AREA_NAMES) as Area[]).map((area) => row(AREA_NAMES[area], (c) => c.byArea[area])).join('\n')}
${row(`of the kernel's: waking the load generator (\`${WAKE_UP_SYMBOL}\` and what it calls)`, (c) => c.wakeUpUs)}

## The 40 functions whose time per request grew most

Own time (not what they call), µs per request.

| function | where | bare route | /predict | difference |
|---|---|---:|---:|---:|
${largestIncreases(bare, api, 40).map((d) => `| ${code(d.symbol)} | ${d.area} | ${us(d.baselineUs)} | ${us(d.candidateUs)} | ${us(d.candidateUs - d.baselineUs)} |`).join('\n')}

## Memory allocated per request

V8's sampling heap profiler in each server (\`bench/allocation-sampler.ts\`, loaded with \`--import\`: a sample every
128 bytes on average, objects already collected included), during ${ALLOCATION_SECONDS} s of the same load after the same warm-up;
one run each. Bytes per request; every allocation costs its own work and then the young generation's
collections (the GC above). /predict runs from its sources here (\`src/server.ts\` through tsx), not from the
bundle, so that the functions of Fastify and Node that both servers run are named alike: \`name file:line\`.

| | bare route | /predict | difference |
|---|---:|---:|---:|
| all | ${bytes(bareAllocations.totalBytes)} | ${bytes(apiAllocations.totalBytes)} | ${bytes(apiAllocations.totalBytes - bareAllocations.totalBytes)} |

The 25 functions whose own allocations per request grew most:

| function | bare route | /predict | difference |
|---|---:|---:|---:|
${largestAllocationIncreases(bareAllocations, apiAllocations, 25).map((d) => `| ${code(d.name)} | ${bytes(d.baselineBytes)} | ${bytes(d.candidateBytes)} | ${bytes(d.candidateBytes - d.baselineBytes)} |`).join('\n')}
`
mkdirSync('bench/results', { recursive: true })
writeFileSync(OUTPUT, markdown)
log(`wrote ${OUTPUT}`)
