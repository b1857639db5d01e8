import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/config.js'
import { Lifecycle } from '../../src/lifecycle.js'
import { loadModel } from '../../src/model/load-model.js'
import { ARTIFACT_PATH } from './model.js'

export interface TestApp { app: FastifyInstance, lifecycle: Lifecycle, config: Config }

/** Builds the app on the committed model with the default configuration, plus `env` overrides. */
export async function buildTestApp (t: { teardown (fn: () => unknown): void }, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ MODEL_PATH: ARTIFACT_PATH, ...env })
  const lifecycle = new Lifecycle()
  const app = await buildApp({ config, model: await loadModel(config.modelPath), lifecycle, logger: false })
  t.teardown(() => app.close())
  return { app, lifecycle, config }
}

export function postJson (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

/** Error bodies must never carry a stack trace or a path of the machine. */
export function leaksInternals (body: string): boolean {
  return /\bat .+:\d+:\d+|node_modules|\/src\/|\/work\/|\\src\\/.test(body)
}

/** A request id the server made: its random base (a UUID in URL-safe base64), then a counter. */
export const GENERATED_REQUEST_ID = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/
