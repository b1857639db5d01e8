import type { FastifyInstance } from 'fastify'
import { ApiError } from '../errors.js'

/**
 * Request bodies are JSON, uncompressed. Fastify would otherwise parse text/plain bodies (and answer them
 * with a 400, not a 415), and read a gzip body as text, calling it malformed JSON. A body with a content
 * coding gets a 415 with `Accept-Encoding: identity`, as RFC 9110 (section 15.5.16) describes.
 */
export function jsonBodiesOnly (app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain')
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    const coding = request.headers['content-encoding']?.trim()
    if (coding && coding.toLowerCase() !== 'identity') {
      const shown = coding.length > 40 ? `${coding.slice(0, 40)}...` : coding
      done(new ApiError(415, 'unsupported_media_type', `unsupported content encoding "${shown}": send the body uncompressed`, { 'accept-encoding': 'identity' }), undefined)
      return
    }
    parseJson.call(app, request, body, done)
  })
}
