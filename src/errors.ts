/** An error whose message is safe to show to the client. */
export class ApiError extends Error {
  readonly statusCode: number
  constructor (statusCode: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.statusCode = statusCode
  }
}

export interface ErrorBody {
  error: string
  details?: { field: string, rule: string, message: string }[]
}
