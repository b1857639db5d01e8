import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, isLeaf, type ModelArtifact, type TreeJson } from './artifact.js'
import { artifactSchema } from './artifact-schema.js'
import { CompiledForest } from './compiled-forest.js'

// As for the routes' validators (app.ts): no check of the schema itself against JSON Schema's meta-schema,
// nor ajv's optimisation pass, at every start; test/model/load-model.test.ts checks the schema against it.
const validateSchema = new Ajv({ allErrors: false, strict: true, validateSchema: false, code: { optimize: false } }).compile<ModelArtifact>(artifactSchema)

/** Why a model could not be loaded; the message is one line, fit for a log. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError'
}

export interface LoadedModel {
  artifact: ModelArtifact
  forest: CompiledForest
  sha256: string
}

export function sha256Hex (bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export async function loadModel (path: string, expectedSha256?: string): Promise<LoadedModel> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ModelLoadError(code === 'ENOENT' ? `model file not found: ${path}` : `cannot read model file ${path}: ${code}`)
  }
  return parseModel(bytes, expectedSha256)
}

/** Verifies, parses, validates and compiles an artifact; throws ModelLoadError, never returns a partial model. */
export function parseModel (bytes: Buffer, expectedSha256?: string): LoadedModel {
  const sha256 = sha256Hex(bytes)
  if (expectedSha256 !== undefined && expectedSha256.toLowerCase() !== sha256) {
    throw new ModelLoadError(`model sha256 mismatch: expected ${expectedSha256.toLowerCase()}, file has ${sha256}`)
  }
  let data: unknown
  try {
    data = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw new ModelLoadError(`model file is not valid JSON (truncated or corrupt): ${(err as Error).message}`)
  }
  const artifact = validateArtifact(data)
  const forest = new CompiledForest(artifact.forest.trees, artifact.features.length, artifact.classes.length)
  return { artifact, forest, sha256 }
}

export function validateArtifact (data: unknown): ModelArtifact {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ModelLoadError('model artifact must be a JSON object')
  }
  const { format, version } = data as Record<string, unknown>
  if (format !== ARTIFACT_FORMAT) {
    throw new ModelLoadError(`unknown model format ${JSON.stringify(format)}: expected "${ARTIFACT_FORMAT}"`)
  }
  if (version !== ARTIFACT_VERSION) {
    throw new ModelLoadError(`unsupported model artifact version ${JSON.stringify(version)}: this server reads version ${ARTIFACT_VERSION}`)
  }
  if (!validateSchema(data)) {
    const error = validateSchema.errors?.[0]
    throw new ModelLoadError(`invalid model artifact: ${error?.instancePath || '/'} ${error?.message ?? 'is invalid'}`)
  }
  data.features.forEach((feature, i) => {
    if (feature.min > feature.max) throw new ModelLoadError(`invalid model artifact: /features/${i} has min > max`)
  })
  data.forest.trees.forEach((tree, t) => checkTree(tree, `/forest/trees/${t}`, data.features.length, data.classes.length))
  return data
}

/** Each node must be reached exactly once from the root, splits on known features, leaves over known classes. */
function checkTree (tree: TreeJson, where: string, nFeatures: number, nClasses: number): void {
  const reached = new Uint8Array(tree.nodes.length)
  reached[0] = 1
  tree.nodes.forEach((node, i) => {
    const at = `${where}/nodes/${i}`
    if (reached[i] !== 1) throw new ModelLoadError(`invalid model artifact: ${at} is not reached exactly once from the root`)
    if (isLeaf(node)) {
      if (node.value.length !== nClasses) {
        throw new ModelLoadError(`invalid model artifact: ${at}/value has ${node.value.length} classes, the model has ${nClasses}`)
      }
      const sum = node.value.reduce((a, b) => a + b, 0)
      if (Math.abs(sum - 1) > 1e-6) throw new ModelLoadError(`invalid model artifact: ${at}/value sums to ${sum}, not 1`)
      return
    }
    if (node.feature >= nFeatures) {
      throw new ModelLoadError(`invalid model artifact: ${at}/feature ${node.feature} is out of range (the model has ${nFeatures} features)`)
    }
    for (const child of [node.left, node.right]) {
      if (child <= i || child >= tree.nodes.length) {
        throw new ModelLoadError(`invalid model artifact: ${at} has child ${child} outside (${i}, ${tree.nodes.length})`)
      }
      reached[child]++
    }
  })
}
