import { type SerializerFactory, SerializerSelector, type Serializer } from '@fastify/fast-json-stringify-compiler'

/**
 * Fastify's own response-serializer compiler, compiling each distinct schema once. Every route declares
 * the same error responses, so most of the serializers fast-json-stringify would generate at start-up are
 * copies. Fastify calls the factory once per plugin scope, with that scope's shared schemas, so a cache
 * per call never mixes scopes.
 */
export function sharedSerializers (): SerializerFactory {
  const build = SerializerSelector()
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options)
    const compiled = new Map<string, Serializer>()
    return (route) => {
      const key = JSON.stringify(route.schema)
      let serialize = compiled.get(key)
      if (serialize === undefined) {
        serialize = compile(route)
        compiled.set(key, serialize)
      }
      return serialize
    }
  }
}
