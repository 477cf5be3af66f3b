import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

/** A 2×2 red PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64')

it('an author uploads an image into an article, publishes it, and the public help center shows the image', async () => {
  await ApiClient.setup(env.server.url)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-images-'))
  const imagePath = path.join(dir, 'settings-screen.png')
  fs.writeFileSync(imagePath, PNG)
  const notesPath = path.join(dir, 'release-notes.txt')
  fs.writeFileSync(notesPath, 'Version 2 notes')
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  await page.goto('/kb/articles/new')
  await page.getByLabel('Title').fill('Find the settings screen')
  await page.getByRole('textbox', { name: 'Article body' }).click()
  await page.keyboard.type('Open the menu and choose Settings:')
  await page.getByRole('button', { name: 'Create draft' }).click()
  await page.getByText('Draft', { exact: true }).first().waitFor()

  // Upload an image (it goes into the text at the cursor) and an attachment.
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Upload image' }).click()
  await (await chooser).setFiles(imagePath)
  await page.getByRole('link', { name: 'settings-screen.png' }).waitFor()
  await page.getByRole('textbox', { name: 'Article body' }).locator('img[src^="/help/files/"]').waitFor()
  const attach = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Attach file' }).click()
  await (await attach).setFiles(notesPath)
  await page.getByRole('link', { name: 'release-notes.txt' }).waitFor()

  await page.getByRole('button', { name: 'Publish' }).click()
  await page.getByText('Published', { exact: true }).first().waitFor()
  const href = await page.getByRole('link', { name: 'View in help center' }).getAttribute('href')

  // An anonymous reader sees the image loaded and the attachment listed.
  const visitorContext = await env.browser.newContext({ baseURL: env.server.url })
  const visitor = await visitorContext.newPage()
  await visitor.goto(new URL(href!, env.server.url).pathname)
  await visitor.getByRole('heading', { name: 'Find the settings screen' }).waitFor()
  const img = visitor.locator('.article-body img')
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBe(2)
  const download = visitor.getByRole('link', { name: 'release-notes.txt' })
  await download.waitFor()
  const res = await visitorContext.request.get(env.server.url + (await download.getAttribute('href')))
  expect(res.headers()['content-disposition']).toMatch(/^attachment;/)
  expect(await res.text()).toBe('Version 2 notes')

  // Once the article is archived, its image is no longer served to the public.
  const src = await img.getAttribute('src')
  await page.getByRole('button', { name: 'Archive' }).click()
  await page.getByText('Archived', { exact: true }).first().waitFor()
  expect((await visitorContext.request.get(env.server.url + src)).status()).toBe(404)
  await visitorContext.close()
  await context.close()
})
