import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ModelArtifact } from '../../src/model/artifact.js'

export const ARTIFACT_PATH = fileURLToPath(new URL('../../models/iris-rf.json', import.meta.url))

/** A fresh, mutable copy of the committed artifact. */
export function committedArtifact (): ModelArtifact {
  return JSON.parse(readFileSync(ARTIFACT_PATH, 'utf8')) as ModelArtifact
}
