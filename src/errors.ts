import type { ErrorType } from './metrics/app-metrics.js'

/** An error whose message is safe to show to the client. */
export class ApiError extends Error {
  readonly statusCode: number
  readonly type: ErrorType
  /** Response headers that go with this error. */
  readonly headers: Record<string, string> | undefined
  constructor (statusCode: number, type: ErrorType, message: string, headers?: Record<string, string>) {
    super(message)
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.type = type
    this.headers = headers
  }
}

export interface ErrorBody {
  error: string
  details?: { field: string, rule: string, message: string }[]
}
