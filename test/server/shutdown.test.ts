import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { startServer } from '../helpers/server-process.js'

interface Outcome { status?: number, error?: string, connection?: string }

const BODY = JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] })

function post (port: number, agent: Agent | false): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }))
    })
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }))
    req.end(BODY)
  })
}

function getReady (port: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/ready', agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode }))
    })
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }))
    req.end()
  })
}

/** A request whose body is only half sent: it is in flight until `finish` sends the rest. */
async function halfSentRequest (port: number): Promise<{ finish: () => void, response: Promise<string> }> {
  const socket = connect(port, '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  let response = ''
  socket.on('data', (chunk) => { response += chunk.toString() })
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(response)))
  socket.on('error', () => {})
  const half = Math.floor(BODY.length / 2)
  socket.write(`POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY.slice(0, half)}`)
  return { finish: () => socket.end(BODY.slice(half)), response: closed }
}

t.test('SIGTERM under load: /ready turns 503 first, every accepted request completes, exit 0', async (t) => {
  const drainDelayMs = 800
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: String(drainDelayMs), GRACE_PERIOD_MS: '10000' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const { port } = server

  // The load generator plays a client behind a Kubernetes Service: PROPAGATION_MS after /ready first
  // answers 503 the endpoint is removed and no new connection is routed here; until then, and on the
  // keep-alive connections it already holds, it keeps sending.
  const PROPAGATION_MS = 100
  let endpointRemoved = false
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  const outcomes: Outcome[] = []
  const loops = Array.from({ length: 8 }, async () => {
    while (!endpointRemoved) {
      const outcome = await post(port, agent)
      outcomes.push(outcome)
      if (outcome.error !== undefined) return
    }
  })
  const readiness: Outcome[] = []
  const poller = (async () => {
    for (;;) {
      const outcome = await getReady(port)
      readiness.push(outcome)
      if (outcome.status === 503 && !endpointRemoved) setTimeout(() => { endpointRemoved = true }, PROPAGATION_MS)
      if (outcome.error !== undefined) return
      await sleep(20)
    }
  })()

  // Load flowing first (however busy the machine): 50 requests answered.
  while (outcomes.length <= 50) await sleep(20)
  const inFlight = await halfSentRequest(port)
  server.child.kill('SIGTERM')
  await sleep(drainDelayMs + 300) // past the drain delay: the listener is closed by now
  const refused = await getReady(port)
  inFlight.finish()
  const exitCode = await server.exited
  await Promise.all([...loops, poller])
  agent.destroy()

  t.equal(exitCode, 0, 'exit code 0')
  t.equal(refused.error, 'ECONNREFUSED', 'the listener was closed after the drain delay')
  t.match(await inFlight.response, /^HTTP\/1\.1 200 OK[\s\S]*"class":"versicolor"/, 'a request in flight when the listener closed completed')

  const failed = outcomes.filter((o) => o.status !== 200)
  t.same(failed, [], `all ${outcomes.length} requests sent were answered 200: no reset, no hang-up, no 503`)
  const duringDrain = outcomes.filter((o) => o.connection === 'close').length
  t.ok(duringDrain > 0, `${duringDrain} requests were served while draining, each with Connection: close`)

  // Each poll opens a new connection: once the listener closes it is refused, or reset if it reached
  // the accept queue at the moment of closing. Either means "closed"; neither is an accepted request.
  const statuses = readiness.map((o) => o.status ?? o.error)
  const first503 = statuses.indexOf(503)
  const closedAt = statuses.findIndex((s) => s === 'ECONNREFUSED' || s === 'ECONNRESET')
  t.ok(first503 > 0 && closedAt > first503, `/ready answered 200, then 503, then the listener closed: ${[...new Set(statuses)].join(' → ')}`)
  t.ok(statuses.slice(first503, closedAt).every((s) => s === 503), 'once draining, /ready stayed 503')
  t.match(server.logs.join('\n'), /shutdown complete/)
})
