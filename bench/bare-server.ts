/**
 * The baseline of the HTTP benchmark: a bare Fastify route on the same path that parses the same JSON
 * body and answers a constant object of the same shape as /predict. Nothing else: no validation, no
 * model, no metrics, no hooks. Listens on HOST:PORT and prints the same line as the server.
 */
import Fastify from 'fastify'

const app = Fastify({ logger: false })
const answer = {
  prediction: 0,
  class: 'setosa',
  probabilities: { setosa: 1, versicolor: 0, virginica: 0 },
  confidence: 1,
  processing_time_ms: 0.01,
  timestamp: '2026-01-01T00:00:00.000Z'
}
app.post('/predict', async (request) => {
  if (request.body === undefined) throw new Error('no body')
  return answer
})
const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
console.log(JSON.stringify({ msg: `Server listening at ${address}` }))
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
