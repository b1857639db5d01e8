import type { ModelArtifact } from '../src/model/artifact.js'

const percent = (x: number): string => `${(x * 100).toFixed(2)} %`
const fixed = (x: number): string => x.toFixed(3)

function table (header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
  return [line(header), ...rows.map(line)]
}

function hyperparameterText (artifact: ModelArtifact): string {
  const hp = artifact.hyperparameters
  return `${hp.n_estimators} trees, max_features ${hp.max_features}, max_depth ${hp.max_depth}, min_samples ${hp.min_samples}, seed ${hp.seed}`
}

function metricLines (artifact: ModelArtifact): { summary: string[], perClass: string[], confusion: string[] } {
  const m = artifact.metrics
  const correct = m.confusion_matrix.reduce((sum, row, i) => sum + row[i], 0)
  return {
    summary: [
      `Hold-out accuracy   ${percent(m.holdout_accuracy)} (${correct}/${m.test_rows} rows; ${m.test_size * 100} % of each class held out, model trained on ${m.train_rows} rows)`,
      `CV accuracy         ${percent(m.cv_accuracy_mean)} ± ${percent(m.cv_accuracy_std)} (stratified ${m.cv_folds}-fold on all ${artifact.training_data.rows} rows)`
    ],
    perClass: table(['class', 'precision', 'recall', 'f1', 'support'],
      artifact.classes.map((name) => {
        const c = m.per_class[name]
        return [name, fixed(c.precision), fixed(c.recall), fixed(c.f1), String(c.support)]
      })),
    confusion: table(['actual \\ predicted', ...artifact.classes],
      artifact.classes.map((name, i) => [name, ...m.confusion_matrix[i].map(String)]))
  }
}

/** The summary printed at the end of `npm run train`. */
export function renderSummary (artifact: ModelArtifact, path: string, sha256: string, bytes: number): string {
  const { summary, perClass, confusion } = metricLines(artifact)
  return [
    '',
    `Model               ${artifact.model.name} v${artifact.model.version} (${hyperparameterText(artifact)})`,
    ...summary,
    '',
    ...perClass,
    '',
    ...confusion,
    '',
    `Artifact            ${path} (${bytes} bytes)`,
    `sha256              ${sha256}`,
    ''
  ].join('\n')
}

/** The human-readable report written beside the artifact. */
export function renderMarkdownReport (artifact: ModelArtifact, artifactName: string, sha256: string, foldAccuracies: number[]): string {
  const { summary, perClass, confusion } = metricLines(artifact)
  const libraries = Object.entries(artifact.trained_with).map(([name, version]) => `${name} ${version}`).join(', ')
  return [
    `# Model report: ${artifact.model.name} v${artifact.model.version}`,
    '',
    `- Artifact: \`${artifactName}\`, sha256 \`${sha256}\``,
    `- Algorithm: ${artifact.model.algorithm} (${hyperparameterText(artifact)})`,
    `- Data: ${artifact.model.dataset}, ${artifact.training_data.rows} rows, sha256 \`${artifact.training_data.sha256}\``,
    `- Trained with: ${libraries}`,
    '- Reproduce: `npm run train` with the same options gives a byte-identical artifact.',
    '',
    '## Accuracy',
    '',
    ...summary.map((line) => `- ${line.replace(/ {2,}/, ': ')}`),
    `- Accuracy of each fold: ${foldAccuracies.map(percent).join(', ')}`,
    '',
    '## Hold-out set, per class',
    '',
    '```',
    ...perClass,
    '```',
    '',
    '## Confusion matrix (hold-out set)',
    '',
    '```',
    ...confusion,
    '```',
    ''
  ].join('\n')
}
