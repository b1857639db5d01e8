import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import type { Manifest } from './chart.js'

const PROJECT = fileURLToPath(new URL('../../', import.meta.url))

/** The kubernetes-models (or prometheus-operator models) module and interface of a manifest's kind. */
function typeOf ({ apiVersion, kind }: Manifest): { module: string, type: string } {
  const pkg = apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models'
  return { module: `${pkg}/${apiVersion}/${kind}`, type: `I${kind}` }
}

/**
 * Type-checks every manifest as an object literal of its kind's interface. TypeScript's excess-property
 * check rejects unknown or misspelled fields at any depth, which kubernetes-models' validate() accepts;
 * it also rejects wrong types and enum values. Returns one message per problem.
 */
export function unknownFieldProblems (manifests: Manifest[]): string[] {
  const file = join(PROJECT, 'test', 'chart', '__manifests__.ts')
  const imports = new Map<string, string>()
  const header: string[] = []
  const lines = manifests.map((manifest, i) => {
    const { module, type } = typeOf(manifest)
    let alias = imports.get(module)
    if (alias === undefined) {
      alias = `${type}_${imports.size}`
      imports.set(module, alias)
      header.push(`import type { ${type} as ${alias} } from '${module}'`)
    }
    return `// ${manifest.kind}/${manifest.metadata.name}\nexport const m${i}: ${alias} = ${JSON.stringify(manifest, null, 1)}`
  })
  const source = [...header, ...lines].join('\n')

  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.readFile = (name) => (name === file ? source : readFile(name))
  host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists.bind(host))
  host.getSourceFile = (name, version, onError) => (name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, onError))
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (d.file === undefined || d.start === undefined) return message
    const { line } = d.file.getLineAndCharacterOfPosition(d.start)
    const owner = d.file.text.split('\n').slice(0, line + 1).reverse().find((l) => l.startsWith('// ')) ?? ''
    return `${owner.slice(3)}: ${message}`
  }).filter((m) => m.length > 0)
}
