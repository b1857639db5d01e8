/**
 * Bundles the server into dist/bundle (`tsx scripts/bundle.ts [DIR]` writes to DIR instead):
 * - app.cjs: the server and its dependencies in one CommonJS file, with Swagger UI's static files beside it;
 * - app.cjs.cache: V8's code cache for it (scripts/write-code-cache.ts);
 * - server.mjs: the entry point, which runs app.cjs through the cache (src/bundle/main.ts).
 * Node loads one file instead of several hundred modules, and from the cache, which shortens the cold
 * start; the image needs no node_modules. Runs after tsc (npm run build), which type-checks.
 *
 * Swagger UI finds its files through __dirname, which is the bundle's directory once bundled: in its
 * modules, __dirname is rewritten to the copy of the package's files under dist/bundle/swagger-ui.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { startCommand } from './start-command.js'

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
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' } as const
await build({
  ...common,
  entryPoints: ['src/server.ts'],
  outfile: join(OUT_DIR, 'app.cjs'),
  format: 'cjs',
  plugins: [swaggerUiDirname],
  banner: { js: 'const __bundleDir = __dirname' },
  // The licence comments go to app.cjs.LEGAL.txt beside the bundle. Left in, their non-ASCII names made V8
  // hold the whole 2.6 MB source at two bytes a character: 5 MB more RSS.
  legalComments: 'external'
})
await build({ ...common, entryPoints: ['src/bundle/main.ts'], outfile: join(OUT_DIR, 'server.mjs'), format: 'esm' })
cpSync(join(SWAGGER_UI_ROOT, 'static'), join(OUT_DIR, 'swagger-ui', 'static'), { recursive: true })
execFileSync(process.execPath, [...startCommand()[1], '--import', 'tsx', 'scripts/write-code-cache.ts', OUT_DIR], { stdio: 'inherit' })
