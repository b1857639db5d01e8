import type { ErrorType } from './metrics/app-metrics.js'

/** An error whose message is safe to show to the client. */
export class ApiError extends Error {
  readonly statusCode: number
  readonly type: ErrorType
  constructor (statusCode: number, type: ErrorType, message: string) {
    super(message)
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.type = type
  }
}

export interface ErrorBody {
  error: string
  details?: { field: string, rule: string, message: string }[]
}
