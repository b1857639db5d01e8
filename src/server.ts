/**
 * Process entry point: configuration, logger, model, signals, listen. Everything else is in buildApp.
 * Exit codes: 0 after a graceful shutdown, 1 on a bad configuration, a model that cannot be loaded,
 * or a shutdown that overran GRACE_PERIOD_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import pino from 'pino'
import { Registry } from 'prom-client'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { Lifecycle } from './lifecycle.js'
import { loadModel, ModelLoadError } from './model/load-model.js'
import { collectProcessMetrics } from './metrics/process-metrics.js'
import { metricsRoute } from './plugins/metrics.js'

const bootLogger = pino({ level: process.env.LOG_LEVEL ?? 'info' })

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  const model = await loadModel(config.modelPath, config.modelSha256)
  const registry = new Registry()
  collectProcessMetrics(registry, { gcDuration: config.metricsGcDuration })
  const lifecycle = new Lifecycle()
  const app = await buildApp({ config, model, lifecycle, registry })
  const metricsApp = config.metricsPort === undefined ? undefined : Fastify({ logger: false })
  if (metricsApp) await metricsApp.register(metricsRoute, { registry })

  closeWithGrace({ delay: config.gracePeriodMs, logger: app.log }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'fatal error, shutting down')
    app.log.info({ signal, drainDelayMs: config.drainDelayMs }, 'shutting down: /ready now answers 503, draining')
    lifecycle.startDraining()
    await sleep(config.drainDelayMs)
    app.log.info('closing the listener and waiting for in-flight requests')
    await app.close()
    await metricsApp?.close()
    app.log.info('shutdown complete')
  })

  await app.listen({ host: config.host, port: config.port })
  if (metricsApp) await metricsApp.listen({ host: config.host, port: config.metricsPort })
  app.log.info({ model: model.artifact.model.name, version: model.artifact.model.version, sha256: model.sha256 }, 'model loaded, serving')
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) bootLogger.fatal(`invalid configuration: ${err.message}`)
  else if (err instanceof ModelLoadError) bootLogger.fatal(`cannot load the model: ${err.message}`)
  else bootLogger.fatal({ err }, 'cannot start')
  process.exit(1)
})
