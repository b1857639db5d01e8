import { readFileSync } from 'node:fs'
import t from 'tap'
import { startCommand } from '../../scripts/start-command.js'

// make bench measures `npm start`; the image must run the server the same way, node flags included.
t.test('the image runs the bundled server with the node flags of npm start', async (t) => {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))
  t.ok(cmd, 'the Dockerfile has an exec-form CMD')
  const [node, ...args] = JSON.parse(cmd?.[1] ?? '[]') as string[]
  const [startArgs, startFlags] = startCommand()
  t.equal(node, 'node')
  t.same(args.slice(0, -1), startFlags, 'same node flags')
  t.equal(args.at(-1), 'dist/server.mjs', 'the bundle (copied from dist/bundle)')
  t.equal(startArgs.at(-1), 'dist/bundle/server.mjs')
  t.match(readFileSync('Dockerfile', 'utf8'), /COPY --from=build --chown=0:0 \/app\/dist\/bundle \.\/dist\n/, 'dist/bundle becomes the image\'s dist/')
})
