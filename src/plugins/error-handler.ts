import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, type ErrorBody } from '../errors.js'
import type { AppMetrics, ErrorType } from '../metrics/app-metrics.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Open Inference Protocol routes answer errors as `{"error": "..."}` alone, as the protocol defines. */
    oipErrors?: boolean
    /** Says which fields a body needs, when a schema rule on the body as a whole (minProperties, not) fails. */
    shapeHint?: string
  }
}

interface ValidationIssue { instancePath: string, keyword: string, message?: string, params: Record<string, unknown> }

export interface ErrorResponse { status: number, type: ErrorType, body: ErrorBody, headers?: Record<string, string> }

/** The path of a batch whose size is checked by the schema: too many rows is 413, not 400. */
const BATCH_PATH = '/instances'

function describe (issue: ValidationIssue, shapeHint: string | undefined): { field: string, rule: string, message: string } {
  const field = issue.instancePath === '' ? '/' : issue.instancePath
  let message = issue.message ?? 'is invalid'
  if (field === '/' && shapeHint !== undefined && ['minProperties', 'maxProperties', 'not'].includes(issue.keyword)) message = shapeHint
  if (issue.keyword === 'additionalProperties') message = `has unknown field "${String(issue.params.additionalProperty)}"`
  if (issue.keyword === 'required') message = `is missing required field "${String(issue.params.missingProperty)}"`
  if (issue.keyword === 'type' && issue.params.type === 'number') message = 'must be a finite number'
  // rowSchema's type: a flat array of numbers where rows belong (`instances: [5.1, ...]`) lands here
  if (issue.keyword === 'type' && String(issue.params.type) === 'array,object') message = 'must be a row: an array of numbers or an object keyed by feature name'
  if (issue.keyword === 'enum') message = `must be one of ${(issue.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
  return { field, rule: issue.keyword, message }
}

/** Maps any error to a status, a metrics type and a JSON body with no stack trace and no internal path. */
export function toErrorResponse (error: FastifyError, config: { bodyLimit: number }, shapeHint?: string): ErrorResponse {
  if (error.validation !== undefined) {
    const details = error.validation.slice(0, 10).map((issue) => describe(issue as ValidationIssue, shapeHint))
    const first = details[0]
    if (first?.field === BATCH_PATH && first.rule === 'maxItems') {
      return { status: 413, type: 'batch_too_large', body: { error: `batch too large: ${BATCH_PATH.slice(1)} ${first.message.replace('must NOT have more than', 'may have at most')}` } }
    }
    const where = error.validationContext ?? 'body'
    return { status: 400, type: 'validation', body: { error: `invalid request ${where}: ${first ? `${first.field} ${first.message}` : 'rejected'}`, details } }
  }
  if (error instanceof ApiError) return { status: error.statusCode, type: error.type, body: { error: error.message }, headers: error.headers }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, type: 'unsupported_media_type', body: { error: 'unsupported content type: send application/json' } }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, type: 'body_too_large', body: { error: `request body larger than the limit of ${config.bodyLimit} bytes` } }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, type: 'malformed_json', body: { error: 'empty request body: send a JSON object' } }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, type: 'malformed_json', body: { error: 'malformed JSON body (or a forbidden key such as __proto__ or constructor.prototype)' } }
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return { status, type: 'validation', body: { error: error.message } }
  return { status: 500, type: 'internal', body: { error: 'internal server error' } }
}

/** Sends an error as JSON (the `error` field alone on Open Inference Protocol routes) and counts it. */
export function sendError (request: FastifyRequest, reply: FastifyReply, { status, type, body, headers }: ErrorResponse, metrics?: AppMetrics): FastifyReply {
  metrics?.countError(type)
  if (headers !== undefined) reply.headers(headers)
  const payload: ErrorBody = request.routeOptions.config?.oipErrors === true && body.details ? { error: body.error } : body
  return reply.status(status).type('application/json; charset=utf-8').send(payload)
}

/** JSON errors for every failure: validation, parsing, unknown routes and crashes. */
export default fp(async function errorHandler (app: FastifyInstance, opts: { bodyLimit: number, metrics?: AppMetrics }) {
  app.setErrorHandler(function (error: FastifyError, request, reply) {
    const response = toErrorResponse(error, opts, request.routeOptions.config?.shapeHint)
    if (response.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ status: response.status, reason: response.body.error }, 'request rejected')
    return sendError(request, reply, response, opts.metrics)
  })
  const unmatched = new Map<string, (statusCode: number, seconds: number) => void>()
  app.setNotFoundHandler(function (request, reply) {
    const path = request.url.split('?')[0]
    const error = `no route ${request.method} ${path.length > 200 ? `${path.slice(0, 200)}...` : path}`
    if (opts.metrics !== undefined) {
      let record = unmatched.get(request.method)
      if (record === undefined) unmatched.set(request.method, record = opts.metrics.routeRecorder(request.method, 'unmatched', []))
      record(404, reply.elapsedTime / 1000)
    }
    return sendError(request, reply, { status: 404, type: 'not_found', body: { error } }, opts.metrics)
  })
}, { name: 'error-handler' })
