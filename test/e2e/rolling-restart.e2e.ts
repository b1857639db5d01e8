import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { type ServerProcess, startServer } from '../helpers/server-process.js'

/*
 * Two instances behind a small balancer that does what a Kubernetes Service and an ingress do: it polls
 * /ready every 100 ms and routes only to ready instances, and retries a request whose connection was
 * refused on the other instance. Under load, each instance in turn gets SIGTERM and is replaced by a new
 * one (a rolling restart): not one client request may fail, and every instance must exit 0.
 */

const ENV = { MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '1000', GRACE_PERIOD_MS: '10000' }
const BODY = JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] })

interface Upstream { server: ServerProcess, ready: boolean, agent: Agent }

function forward (upstream: Upstream, body: Buffer): Promise<{ status: number, payload: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: upstream.server.port, path: '/predict', method: 'POST', agent: upstream.agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, payload: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

t.test('a rolling restart of two instances under load loses no request', async (t) => {
  const upstreams: Upstream[] = []
  const add = async () => { upstreams.push({ server: await startServer(ENV), ready: false, agent: new Agent({ keepAlive: true }) }) }
  await add()
  await add()
  t.teardown(() => { for (const u of upstreams) u.server.child.kill('SIGKILL') })

  let polling = true
  const poller = (async () => {
    while (polling) {
      await Promise.all(upstreams.map(async (u) => {
        u.ready = await fetch(`http://127.0.0.1:${u.server.port}/ready`).then((r) => r.status === 200, () => false)
      }))
      await sleep(100)
    }
  })()
  await sleep(300)

  let next = 0
  const balancer = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      for (let attempt = 0; attempt < 4; attempt++) {
        const ready = upstreams.filter((u) => u.ready)
        const upstream = ready[next++ % Math.max(1, ready.length)] ?? upstreams[0]
        try {
          const { status, payload } = await forward(upstream, body)
          res.writeHead(status, { 'content-type': 'application/json' }).end(payload)
          return
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') {
            res.writeHead(502).end(JSON.stringify({ error: (err as Error).message }))
            return
          }
          upstream.ready = false
        }
      }
      res.writeHead(503).end('{"error":"no upstream"}')
    })
  })
  await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { balancer.close() })
  const port = (balancer.address() as AddressInfo).port

  const outcomes: number[] = []
  let loading = true
  const client = new Agent({ keepAlive: true, maxSockets: 8 })
  const loops = Array.from({ length: 8 }, async () => {
    while (loading) {
      outcomes.push(await new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent: client, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        })
        req.on('error', () => resolve(-1))
        req.end(BODY)
      }))
    }
  })

  await sleep(500)
  const exitCodes: (number | null)[] = []
  for (let i = 0; i < 2; i++) {
    const old = upstreams[0]
    old.server.child.kill('SIGTERM')
    exitCodes.push(await old.server.exited)
    upstreams.shift()
    old.agent.destroy()
    await add()
    await sleep(500)
  }
  loading = false
  await Promise.all(loops)
  polling = false
  await poller
  client.destroy()
  for (const u of upstreams) u.agent.destroy()

  t.same(exitCodes, [0, 0], 'both replaced instances exited 0')
  const failed = outcomes.filter((s) => s !== 200)
  t.ok(outcomes.length > 1000, `${outcomes.length} requests during the restarts`)
  t.same(failed, [], 'every request was answered 200')
})
