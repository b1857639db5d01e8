import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino'

/**
 * A request's logger, made when the request first logs. Fastify makes one pino child per request, with
 * the request id bound; most requests log nothing (per-request logs are off by default), and a pino
 * child is one of the larger allocations of a one-row prediction.
 */
export class DeferredLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #logger: FastifyBaseLogger | undefined

  constructor (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get #child (): FastifyBaseLogger {
    return (this.#logger ??= this.#parent.child(this.#bindings, this.#options))
  }

  get level (): LevelWithSilentOrString {
    return this.#logger?.level ?? this.#options.level ?? this.#parent.level
  }

  set level (level: LevelWithSilentOrString) {
    this.#child.level = level
  }

  fatal (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.fatal(obj, msg, ...args) }
  error (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.error(obj, msg, ...args) }
  warn (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.warn(obj, msg, ...args) }
  info (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.info(obj, msg, ...args) }
  debug (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.debug(obj, msg, ...args) }
  trace (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.trace(obj, msg, ...args) }
  silent (obj: unknown, msg?: string, ...args: unknown[]): void { this.#child.silent(obj, msg, ...args) }

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#child.child(bindings, options)
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, deferred. */
export function deferredChildLogger (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new DeferredLogger(logger, bindings, options)
}
