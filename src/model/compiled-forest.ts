import { isLeaf, type TreeJson } from './artifact.js'

/** Adds the soft-vote probabilities of some trees for `rows` row-major rows of `input` into `out`. */
type ForestKernel = (input: ArrayLike<number>, rows: number, out: Float64Array) => void

/** Trees per generated function: keeps each function small enough for V8 to optimise. */
const MAX_NODES_PER_KERNEL = 4000

function literal (value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`forest holds a non-finite number: ${value}`)
  return String(value) // the shortest string that round-trips to the same double
}

/**
 * A random forest compiled to JavaScript: every tree becomes nested `if`s over the row's features with
 * its thresholds and leaf probabilities inlined as constants, and the class probabilities accumulate in
 * local variables. The sum is divided by the number of trees once per row, giving the soft vote (the
 * mean of the trees' class distributions, as scikit-learn computes it); a unanimous vote is exactly 1.
 *
 * Only numbers reach the generated source: indices are checked to be in-range integers and every
 * constant to be finite, whatever the caller passes.
 */
export class CompiledForest {
  readonly nTrees: number
  readonly nFeatures: number
  readonly nClasses: number
  private readonly kernels: ForestKernel[]

  constructor (trees: readonly TreeJson[], nFeatures: number, nClasses: number) {
    if (!Number.isInteger(nFeatures) || nFeatures < 1 || !Number.isInteger(nClasses) || nClasses < 1) {
      throw new RangeError('a forest needs at least one feature and one class')
    }
    this.nTrees = trees.length
    this.nFeatures = nFeatures
    this.nClasses = nClasses
    this.kernels = []
    let chunk: TreeJson[] = []
    let nodes = 0
    for (const tree of trees) {
      if (chunk.length > 0 && nodes + tree.nodes.length > MAX_NODES_PER_KERNEL) {
        this.kernels.push(this.compile(chunk))
        chunk = []
        nodes = 0
      }
      chunk.push(tree)
      nodes += tree.nodes.length
    }
    if (chunk.length > 0) this.kernels.push(this.compile(chunk))
  }

  /**
   * Writes the class probabilities of `rows` rows into `out` (row-major, `rows * nClasses`).
   * `input` holds the rows row-major (`rows * nFeatures` finite numbers).
   */
  predictProba (input: ArrayLike<number>, rows: number, out: Float64Array): void {
    const n = rows * this.nClasses
    out.fill(0, 0, n)
    for (const kernel of this.kernels) kernel(input, rows, out)
    for (let i = 0; i < n; i++) out[i] /= this.nTrees
  }

  /** Index of the most probable class of row `row` in `proba`; the lowest index wins a tie. */
  argmax (proba: Float64Array, row: number): number {
    const o = row * this.nClasses
    let best = 0
    let bestValue = proba[o]
    for (let c = 1; c < this.nClasses; c++) {
      const value = proba[o + c]
      if (value > bestValue) {
        best = c
        bestValue = value
      }
    }
    return best
  }

  private compile (trees: readonly TreeJson[]): ForestKernel {
    const { nFeatures, nClasses } = this
    const used = new Set<number>()
    const emitNode = (tree: TreeJson, i: number, indent: string): string => {
      const node = tree.nodes[i]
      if (node === undefined) throw new RangeError(`tree node ${i} does not exist`)
      if (isLeaf(node)) {
        const adds = node.value.slice(0, nClasses)
          .map((p, c) => (p === 0 ? '' : `p${c} += ${literal(p)}; `)).join('')
        return `${indent}${adds}\n`
      }
      if (!Number.isInteger(node.feature) || node.feature < 0 || node.feature >= nFeatures) {
        throw new RangeError(`tree node ${i} splits on unknown feature ${node.feature}`)
      }
      if (!(node.left > i && node.right > i)) throw new RangeError(`tree node ${i} has a child that does not follow it`)
      used.add(node.feature)
      return `${indent}if (f${node.feature} < ${literal(node.threshold)}) {\n${emitNode(tree, node.left, indent + '  ')}` +
        `${indent}} else {\n${emitNode(tree, node.right, indent + '  ')}${indent}}\n`
    }
    const body = trees.map((tree) => emitNode(tree, 0, '    ')).join('')
    const classes = Array.from({ length: nClasses }, (_, c) => c)
    const source = `'use strict'
for (let r = 0; r < rows; r++) {
  const x = r * ${nFeatures}
  const o = r * ${nClasses}
${[...used].map((f) => `  const f${f} = input[x + ${f}]`).join('\n')}
  let ${classes.map((c) => `p${c} = 0`).join(', ')}
${body}
${classes.map((c) => `  out[o + ${c}] += p${c}`).join('\n')}
}`
    return new Function('input', 'rows', 'out', source) as ForestKernel
  }
}
