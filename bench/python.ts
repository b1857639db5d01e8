import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModelArtifact } from '../src/model/artifact.js'
import { loadIris } from '../train/dataset.js'
import { stratifiedSplit } from '../train/split.js'
import { PYTHON } from './servers.js'

const TRAINER = fileURLToPath(new URL('python/iris_model.py', import.meta.url))

/**
 * Trains scikit-learn's RandomForestClassifier on the rows and with the hyperparameters of the committed
 * artifact's training split, pickles it into a fresh temporary directory and returns the pickle's path.
 */
export function trainPythonModel (artifactPath = 'models/iris-rf.json'): string {
  const artifact = JSON.parse(readFileSync(artifactPath, 'utf8')) as ModelArtifact
  const dataset = loadIris()
  const { train } = stratifiedSplit(dataset.labels, artifact.metrics.test_size, artifact.hyperparameters.seed)
  const dir = mkdtempSync(join(tmpdir(), 'ml-api-bench-'))
  const trainingJson = join(dir, 'training.json')
  writeFileSync(trainingJson, JSON.stringify({
    hyperparameters: artifact.hyperparameters,
    features: train.map((i) => dataset.features[i]),
    labels: train.map((i) => dataset.labels[i])
  }))
  const pickle = join(dir, 'model.pickle')
  execFileSync(PYTHON, [TRAINER, trainingJson, pickle], { stdio: 'inherit' })
  return pickle
}

/** scikit-learn's, Flask's and FastAPI's versions, as the Python servers import them. */
export function pythonVersions (): string {
  return execFileSync(PYTHON, ['-c', 'import platform, sklearn, flask, fastapi, gunicorn, uvicorn; print(f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}, Flask {flask.__version__}, gunicorn {gunicorn.__version__}, FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}")'], { encoding: 'utf8' }).trim()
}
