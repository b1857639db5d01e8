/**
 * Bundles the server into dist/bundle/server.cjs (`tsx scripts/bundle.ts [DIR]` writes to DIR instead): the
 * server and its dependencies in one CommonJS file, with Swagger UI's static files beside it. Node loads one
 * file instead of several hundred modules, which shortens the cold start, and the image needs no
 * node_modules. Runs after tsc (npm run build), which type-checks.
 *
 * Swagger UI finds its files through __dirname, which is the bundle's directory once bundled: in its
 * modules, __dirname is rewritten to the copy of the package's files under dist/bundle/swagger-ui.
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
  bundle: true,
  platform: 'node',
  target: 'node24',
  logLevel: 'warning',
  entryPoints: ['src/server.ts'],
  outfile: join(OUT_DIR, 'server.cjs'),
  format: 'cjs',
  plugins: [swaggerUiDirname],
  banner: { js: 'const __bundleDir = __dirname' },
  // The licence comments go to server.cjs.LEGAL.txt beside the bundle. Left in, their non-ASCII names would make
  // V8 hold the whole source at two bytes a character.
  legalComments: 'external'
})
cpSync(join(SWAGGER_UI_ROOT, 'static'), join(OUT_DIR, 'swagger-ui', 'static'), { recursive: true })
