import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, Logger } from 'pino'

/**
 * A pino logger whose children are made when they first log. Fastify makes a child with the request id
 * bound for every request; most requests log nothing (per-request logs are off by default), and making a
 * pino child (its formatters, its serialized bindings) is a large part of a one-row prediction's work.
 * Passed to Fastify as its `loggerInstance`: Fastify then calls `child` itself and, unlike for a custom
 * `childLoggerFactory`, does not check every request's logger for its methods.
 */
export class DeferredLogger implements FastifyBaseLogger {
  readonly #parent: DeferredLogger | Logger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions | undefined
  #logger: Logger | undefined

  private constructor (parent: DeferredLogger | Logger, bindings: Bindings, options?: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  /** `logger` itself, whose children are made on their first log line. */
  static wrap (logger: Logger): FastifyBaseLogger {
    const root = new DeferredLogger(logger, {})
    root.#logger = logger
    return root
  }

  get #made (): Logger {
    if (this.#logger === undefined) {
      // Made from the parent's logger, so that the bindings of every level add up as they do in pino.
      const parent = this.#parent instanceof DeferredLogger ? this.#parent.#made : this.#parent
      this.#logger = parent.child(this.#bindings, this.#options)
    }
    return this.#logger
  }

  get level (): LevelWithSilentOrString {
    return this.#logger?.level ?? this.#options?.level ?? this.#parent.level
  }

  set level (level: LevelWithSilentOrString) {
    this.#made.level = level
  }

  fatal (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.fatal(obj, msg, ...args) }
  error (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.error(obj, msg, ...args) }
  warn (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.warn(obj, msg, ...args) }
  info (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.info(obj, msg, ...args) }
  debug (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.debug(obj, msg, ...args) }
  trace (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.trace(obj, msg, ...args) }
  silent (obj: unknown, msg?: string, ...args: unknown[]): void { this.#made.silent(obj, msg, ...args) }

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return new DeferredLogger(this, bindings, options)
  }
}
