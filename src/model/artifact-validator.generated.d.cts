// The type of artifact-validator.generated.cjs, which scripts/artifact-validator.ts generates.
import type { ValidateFunction } from 'ajv'
import type { ModelArtifact } from './artifact.js'

declare const validateArtifactSchema: ValidateFunction<ModelArtifact>
export = validateArtifactSchema
