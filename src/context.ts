import type { Config } from './config.js'
import type { Predictor } from './inference/predictor.js'
import type { Lifecycle } from './lifecycle.js'

/** What the route plugins are given. */
export interface AppContext {
  config: Config
  predictor: Predictor
  lifecycle: Lifecycle
  /** Identifies the server in /v2 metadata. */
  server: { name: string, version: string }
}
