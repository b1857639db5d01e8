import { chromium } from 'playwright-core'
import t from 'tap'
import { ARTIFACT_PATH } from '../helpers/model.js'
import { buildBundle, startServer } from '../helpers/server-process.js'

// Debian's Chromium, as root in a sandbox-less CI: no sandbox, and no background network traffic.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

t.test('Swagger UI at /docs: "Try it out" on POST /predict shows the predicted class', async (t) => {
  // The bundle, as the image runs it: Swagger UI's files come from beside it, not from node_modules.
  const server = await startServer({ MODEL_PATH: ARTIFACT_PATH, DRAIN_DELAY_MS: '0' }, buildBundle(t.testdir()))
  t.teardown(() => { server.child.kill('SIGKILL') })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  t.teardown(() => browser.close())
  const page = await browser.newPage()

  await page.goto(`http://127.0.0.1:${server.port}/docs/`)
  const operation = page.locator('#operations-predict-post_predict')
  await operation.locator('.opblock-summary').click()
  await operation.getByRole('button', { name: 'Try it out' }).click()
  const editor = operation.locator('textarea.body-param__text')
  await editor.fill('{"features": [6.7, 3.0, 5.2, 2.3]}')
  await operation.getByRole('button', { name: 'Execute' }).click()

  const responseBody = operation.locator('.live-responses-table .response-col_description pre').first()
  await responseBody.waitFor({ timeout: 15_000 })
  const text = await responseBody.innerText()
  t.match(text, /"class":\s*"virginica"/, 'the page shows the predicted class')
  t.match(await operation.locator('.live-responses-table').innerText(), /^Code\s+Details\s+200\b/, 'status 200')
  await responseBody.scrollIntoViewIfNeeded()
  await page.screenshot({ path: process.env.DOCS_SCREENSHOT ?? `${t.testdir()}/docs.png` })

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})
