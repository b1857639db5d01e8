import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { Script } from 'node:vm'

/*
 * Runs the CommonJS server bundle through a V8 code cache written at build time, so a cold start skips
 * parsing the bundle and compiling the functions that start-up runs. Node 22 does this with
 * module.enableCompileCache(); Node 20 has only vm.Script's cachedData.
 *
 * V8 checks a cache against its own version, its flags and the source's length, not the source's
 * content: the cache file therefore starts with the SHA-256 of the bundle it was made from.
 */

/** accepted: used; absent: no cache file; stale: made from another bundle; rejected: V8 refused it (another Node version or other V8 flags). */
export type CodeCacheState = 'accepted' | 'absent' | 'stale' | 'rejected'

export interface CompiledBundle {
  cache: CodeCacheState
  /** Evaluates the bundle as node would evaluate a CommonJS module. */
  run: () => void
  /** Writes a cache with every function compiled so far. */
  writeCache: () => void
}

const HASH_BYTES = 32

function readCache (path: string, sourceHash: Buffer): { cache: CodeCacheState, data?: Buffer } {
  let file: Buffer
  try {
    file = readFileSync(path)
  } catch {
    return { cache: 'absent' }
  }
  if (!file.subarray(0, HASH_BYTES).equals(sourceHash)) return { cache: 'stale' }
  return { cache: 'accepted', data: file.subarray(HASH_BYTES) }
}

export function compileBundle (path: string): CompiledBundle {
  const bundlePath = resolve(path)
  const source = readFileSync(bundlePath)
  const sourceHash = createHash('sha256').update(source).digest()
  const cachePath = `${bundlePath}.cache`
  const { cache, data } = readCache(cachePath, sourceHash)
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: bundlePath, cachedData: data })
  return {
    cache: cache === 'accepted' && script.cachedDataRejected === true ? 'rejected' : cache,
    run: () => {
      const module = { exports: {} }
      const evaluate = script.runInThisContext() as (...args: unknown[]) => void
      evaluate.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath))
    },
    writeCache: () => { writeFileSync(cachePath, Buffer.concat([sourceHash, script.createCachedData()])) }
  }
}
