import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { communityWorld, form, startCommunitySink, topicIdOf } from './community.test-helpers.ts'

describe('community: authors edit and delete their posts, staff edit any post', async () => {
  const sink = await startCommunitySink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const { api, ask, answer, postsOf, trustedMember } = await communityWorld(app, admin.headers, 'Accounts')
  const page = async (url: string, cookie?: string) => app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} })

  it('lets a member edit their own answer under the same rules, marks it edited, and refuses others', async () => {
    const asker = await trustedMember()
    const helper = await trustedMember()
    const topicId = topicIdOf((await ask(asker, 'How do I change my email?', 'The old one is gone.')).headers.location as string)
    await answer(helper, topicId, 'Go to Settings.')
    const answerId = (await postsOf(topicId)).find((p) => p.kind === 'answer')!.id

    const formPage = await page(`/community/posts/${answerId}/edit`, helper.cookie)
    expect(formPage.statusCode).toBe(200)
    expect(formPage.body).toContain('Go to Settings.')
    const saved = await form(app, `/community/posts/${answerId}/edit`, { body: '<p>Go to Settings › Profile.</p><script>alert(1)</script>' }, helper)
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toContain('notice=edited')
    const edited = (await postsOf(topicId)).find((p) => p.id === answerId)!
    expect(edited.bodyHtml).toContain('Settings › Profile')
    expect(edited.bodyHtml).not.toMatch(/script/i)
    expect(edited.status).toBe('visible')
    expect(edited.editedAt).toBeGreaterThan(0)
    const topicPage = await page((saved.headers.location as string).split('#')[0]!)
    expect(topicPage.body).toContain('Your changes are saved.')
    expect(topicPage.body).toMatch(/class="edited">edited <time/)

    // Not the author: refused, on the form and on the post.
    expect((await page(`/community/posts/${answerId}/edit`, asker.cookie)).statusCode).toBe(403)
    const foreign = await form(app, `/community/posts/${answerId}/edit`, { body: 'Hijacked' }, asker)
    expect(foreign.statusCode).toBe(403)
    expect(foreign.body).toContain('only its author can change a post')
    expect((await form(app, `/community/posts/${answerId}/edit`, { body: 'Anonymous' })).statusCode).toBe(303)
    expect((await postsOf(topicId)).find((p) => p.id === answerId)!.bodyHtml).toContain('Settings › Profile')

    // The link limit applies to edits; a blocked word edited in sends the post back to the queue.
    const links = Array.from({ length: 5 }, (_, i) => `https://spam${i}.example.com/`).join(' ')
    const tooMany = await form(app, `/community/posts/${answerId}/edit`, { body: `See ${links}` }, helper)
    expect(tooMany.statusCode).toBe(422)
    expect(tooMany.body).toContain('Your post has 5 links; at most 3 are allowed')
    await api('PUT', '/settings', { holdFirstPosts: true, maxLinks: 3, linkAction: 'refuse', maxPostsPerHour: 10, flagsToHold: 1, blockedWords: ['casino'] })
    const spam = await form(app, `/community/posts/${answerId}/edit`, { body: 'Try the casino instead' }, helper)
    expect(spam.headers.location).toContain('notice=held')
    const held = (await postsOf(topicId)).find((p) => p.id === answerId)!
    expect(held.status).toBe('held')
    expect((await api('GET', '/moderation')).json().items.some((i: { post: { id: number; heldReason: string } }) => i.post.id === answerId)).toBe(true)
    // A held post stays held after another edit, even a clean one.
    expect((await form(app, `/community/posts/${answerId}/edit`, { body: 'Go to Settings › Profile.' }, helper)).headers.location).toContain('notice=held')
    expect((await postsOf(topicId)).find((p) => p.id === answerId)!.status).toBe('held')
    await api('PUT', '/settings', { holdFirstPosts: true, maxLinks: 3, linkAction: 'refuse', maxPostsPerHour: 10, flagsToHold: 1, blockedWords: [] })
  })

  it('lets the asker retitle their question; the public link follows the new title', async () => {
    const asker = await trustedMember()
    const topicId = topicIdOf((await ask(asker, 'Old title of my question', 'Some details.')).headers.location as string)
    const questionId = (await postsOf(topicId))[0]!.id
    expect((await form(app, `/community/posts/${questionId}/edit`, { title: 'x', body: 'Some details.' }, asker)).statusCode).toBe(400)
    const res = await form(app, `/community/posts/${questionId}/edit`, { title: 'New title for my question', body: 'More details.' }, asker)
    expect(res.headers.location).toMatch(new RegExp(`^/community/t/${topicId}-new-title-for-my-question\\?notice=edited`))
    expect((await api('GET', `/topics/${topicId}`)).json().title).toBe('New title for my question')
  })

  it('soft-deletes an own answer, refuses to delete the accepted answer or an answered question, and deletes an unanswered question', async () => {
    const asker = await trustedMember()
    const helper = await trustedMember()
    const topicId = topicIdOf((await ask(asker, 'Can I merge two accounts?', 'I have two by mistake.')).headers.location as string)
    await answer(helper, topicId, 'Yes, ask support to merge them.')
    await answer(helper, topicId, 'Actually, this is my wrong second answer.')
    const [first, second] = (await postsOf(topicId)).filter((p) => p.kind === 'answer')
    await form(app, `/community/posts/${first!.id}/accept`, {}, asker)

    const accepted = await form(app, `/community/posts/${first!.id}/delete`, {}, helper)
    expect(accepted.statusCode).toBe(409)
    expect(accepted.body).toContain('An accepted answer cannot be deleted by its author')
    const answered = await form(app, `/community/posts/${(await postsOf(topicId))[0]!.id}/delete`, {}, asker)
    expect(answered.statusCode).toBe(409)
    expect(answered.body).toContain('This question has 2 answers, so it stays for the people who answered')
    expect((await form(app, `/community/posts/${second!.id}/delete`, {}, asker)).statusCode).toBe(403)

    const deleted = await form(app, `/community/posts/${second!.id}/delete`, {}, helper)
    expect(deleted.headers.location).toContain('notice=deleted')
    const publicPage = await page((deleted.headers.location as string).split('?')[0]!)
    expect(publicPage.body).toContain('This answer was deleted by its author.')
    expect(publicPage.body).not.toContain('my wrong second answer')
    const staffView = (await api('GET', `/topics/${topicId}`)).json()
    expect(staffView.answerCount).toBe(1)
    expect(staffView.posts.find((p: { id: number }) => p.id === second!.id).status).toBe('deleted')
    const audit = await app.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', second!.id)
      .where('action', '=', 'community.post_deleted')
      .execute()
    expect(audit).toHaveLength(1)
    expect((await page(`/community/posts/${second!.id}/edit`, helper.cookie)).statusCode).toBe(403)

    // An unanswered question goes with its topic, and out of its category's count.
    const count = async () => (await api('GET', '/categories')).json().items.find((c: { name: string }) => c.name === 'Accounts').topicCount
    const before = await count()
    const lonely = topicIdOf((await ask(asker, 'Nobody will answer this one', 'Really.')).headers.location as string)
    expect(await count()).toBe(before + 1)
    const gone = await form(app, `/community/posts/${(await postsOf(lonely))[0]!.id}/delete`, {}, asker)
    expect(gone.headers.location).toMatch(/^\/community\/c\/\d+\?notice=deleted/)
    expect(await count()).toBe(before)
    const deletedTopic = await page(`/community/t/${lonely}`)
    expect((await page(deletedTopic.headers.location as string)).statusCode).toBe(410)
  })

  it('lets staff edit any post from the desk, audited; contributors cannot', async () => {
    const asker = await trustedMember()
    const topicId = topicIdOf((await ask(asker, 'Typo in my questoin', 'Plese help.')).headers.location as string)
    const questionId = (await postsOf(topicId))[0]!.id
    const res = await api('PATCH', `/posts/${questionId}`, { title: 'Typo in my question', bodyHtml: '<p>Please help.</p>' })
    expect(res.statusCode).toBe(200)
    expect(res.json().title).toBe('Typo in my question')
    expect(res.json().posts[0].bodyHtml).toBe('<p>Please help.</p>')
    expect(res.json().posts[0].editedAt).toBeGreaterThan(0)
    const audit = await app.ctx.db
      .selectFrom('auditLog')
      .select(['actorId', 'data'])
      .where('action', '=', 'community.post_edited')
      .where('targetId', '=', questionId)
      .executeTakeFirstOrThrow()
    expect(audit.actorId).toBe(admin.id)
    expect(JSON.stringify(audit.data)).toContain('Typo in my questoin')
    expect((await api('PATCH', `/posts/${questionId}`, { bodyHtml: '<p>x</p>' }, contributor.headers)).statusCode).toBe(403)
    const answerRes = await api('POST', `/topics/${topicId}/answers`, { bodyHtml: '<p>Staff answer</p>' })
    expect((await api('PATCH', `/posts/${answerRes.json().id}`, { title: 'Answers have no title', bodyHtml: '<p>x</p>' })).statusCode).toBe(400)
  })
})
