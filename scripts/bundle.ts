/**
 * Bundles the server into one ES module, dist/bundle/server.mjs, with Swagger UI's static files beside it
 * (`tsx scripts/bundle.ts [DIR]` writes to DIR instead).
 * Node loads one file instead of several hundred modules, which shortens the cold start, and the image
 * needs no node_modules. Runs after tsc (npm run build), which type-checks.
 *
 * Swagger UI finds its files through __dirname, which an ES module bundle does not have: in its modules,
 * __dirname is rewritten to the copy of the package's files under dist/bundle/swagger-ui.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { build, type Plugin } from 'esbuild'

const OUT_DIR = process.argv[2] ?? 'dist/bundle'
const SWAGGER_UI_ROOT = dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json'))

const swaggerUiDirname: Plugin = {
  name: 'swagger-ui-dirname',
  setup (bundle) {
    bundle.onLoad({ filter: /[/\\]@fastify[/\\]swagger-ui[/\\].*\.js$/ }, (args) => {
      const packageDir = relative(SWAGGER_UI_ROOT, dirname(args.path)).split('\\').join('/')
      const contents = readFileSync(args.path, 'utf8')
        .replaceAll('__dirname', `__bundleDir + ${JSON.stringify(`/swagger-ui${packageDir === '' ? '' : `/${packageDir}`}`)}`)
      return { contents, loader: 'js' }
    })
  }
}

rmSync(OUT_DIR, { recursive: true, force: true })
await build({
  entryPoints: ['src/server.ts'],
  outfile: join(OUT_DIR, 'server.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [swaggerUiDirname],
  // CommonJS dependencies call require() and read __bundleDir; an ES module has neither until these lines.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module'",
      "import { dirname as __dirnameOf } from 'node:path'",
      "import { fileURLToPath as __fileURLToPath } from 'node:url'",
      'const require = __createRequire(import.meta.url)',
      'const __bundleDir = __dirnameOf(__fileURLToPath(import.meta.url))'
    ].join('\n')
  }
})
cpSync(join(SWAGGER_UI_ROOT, 'static'), join(OUT_DIR, 'swagger-ui', 'static'), { recursive: true })
