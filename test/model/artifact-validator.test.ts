import { readFileSync } from 'node:fs'
import t from 'tap'
import { artifactValidatorSource, GENERATED } from '../../scripts/artifact-validator.js'

t.test('the committed artifact validator is exactly what its schema generates (run npm run artifact-validator)', async (t) => {
  t.equal(readFileSync(GENERATED, 'utf8'), artifactValidatorSource())
})
