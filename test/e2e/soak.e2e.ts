import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { startServer } from '../helpers/server-process.js'

/*
 * Soak: SOAK_SECONDS (default 300) at a moderate rate, one-row and 25-row requests mixed. Zero errors,
 * and RSS grows less than 10 % from the end of the first minute (warm-up) to the end.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300)
const WARMUP = Math.min(60, Math.floor(SECONDS / 5))
const rss = (pid: number) => Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096

t.test(`soak: ${SECONDS} s at a moderate rate, zero errors, RSS growth under 10 % after warm-up`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const pid = server.child.pid as number
  const batch = JSON.stringify({ instances: Array.from({ length: 25 }, (_, i) => [5 + i / 10, 3, 1.5 + i / 5, 0.2 + i / 20]) })
  const samples: { t: number, rss: number }[] = []
  const started = Date.now()
  const timer = setInterval(() => samples.push({ t: (Date.now() - started) / 1000, rss: rss(pid) }), 5000)
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: 4,
      overallRate: 400,
      duration: SECONDS,
      requests: [
        { method: 'POST', path: '/predict', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] }) },
        { method: 'POST', path: '/predict', headers: { 'content-type': 'application/json' }, body: batch }
      ]
    }, (err, res) => (err ? reject(err) : resolve(res)))
  })
  clearInterval(timer)
  const warm = samples.find((s) => s.t >= WARMUP) ?? samples[0]
  const end = rss(pid)
  const growth = end / warm.rss - 1
  t.equal(result.errors + result.timeouts, 0, 'no connection error or timeout')
  t.equal(result.non2xx, 0, 'no non-2xx answer')
  t.ok(result.requests.total > SECONDS * 300, `${result.requests.total} requests`)
  t.ok(growth < 0.1, `RSS ${(warm.rss / 2 ** 20).toFixed(1)} MB after ${WARMUP} s, ${(end / 2 ** 20).toFixed(1)} MB at the end: ${(growth * 100).toFixed(1)} % growth`)
})
