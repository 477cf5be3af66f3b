import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation, type TestApp } from '../../../test/helpers.ts'

type As = { headers: Record<string, string> }

async function buildCategory(app: TestApp, name: string) {
  const row = await app.ctx.db
    .insertInto('categories')
    .values({ name, keywords: JSON.stringify([]), createdAt: Date.now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A solved ticket in a category, with a customer message full of personal data and an agent's resolution. */
async function buildSolvedTicket(app: TestApp, agent: As, categoryId: number, status: 'solved' | 'open' = 'solved') {
  const ticket = await buildTicket(app, agent, {
    subject: 'Card for Anna Schmidt declined',
    body: 'Hi, this is Anna Schmidt. My card 4111 1111 1111 1111 was declined. Can I get a new one? Call me on +44 20 7946 0958 or anna.schmidt@mail.test.',
    requester: { email: 'anna.schmidt@mail.test', name: 'Anna Schmidt' },
  })
  const reply = await app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticket.id}/replies`,
    headers: agent.headers,
    payload: { body: 'Hi Anna, I have blocked the old card and ordered a new one; it arrives within 5 days. Best regards, Remy' },
  })
  expect(reply.statusCode).toBe(201)
  if (status === 'solved')
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers, payload: { status } })).statusCode).toBe(200)
  await app.ctx.db.updateTable('tickets').set({ categoryId }).where('id', '=', ticket.id).execute()
  return ticket
}

const quiz = {
  passMark: 100,
  questions: [
    {
      id: 'q1',
      prompt: 'A card is declined. First step?',
      kind: 'single',
      options: [
        { id: 'a', text: 'Check the block status' },
        { id: 'b', text: 'Close the ticket' },
      ],
      correctOptionIds: ['a'],
    },
    {
      id: 'q2',
      prompt: 'Which details must never be asked for?',
      kind: 'multiple',
      options: [
        { id: 'a', text: 'Full card number' },
        { id: 'b', text: 'PIN' },
        { id: 'c', text: 'First name' },
      ],
      correctOptionIds: ['a', 'b'],
    },
  ],
}

describe('courses and certification', async () => {
  const app = await buildTestApp()
  const team = await buildTeam(app)
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Remy Agent' })
  const learner = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Lee Learner' })
  const peer = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Pat Peer' })
  const cards = await buildCategory(app, 'Cards')
  const loans = await buildCategory(app, 'Loans')
  const source = await buildSolvedTicket(app, agent, cards)
  await setParticipation(app, learner.id, { trustLevel: 'observer', clearance: 'low' })
  const get = (as: As, url: string) => app.inject({ method: 'GET', url, headers: as.headers })
  const post = (as: As, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: as.headers, payload })

  let courseId = 0
  const lessonIds: Record<'lesson' | 'quiz' | 'practice', number> = { lesson: 0, quiz: 0, practice: 0 }

  it('lets full agents author courses, not contributors', async () => {
    const input = { title: 'Cards basics', description: 'Blocked and declined cards', categoryId: cards, grantsClearance: 'medium' }
    const denied = await post(learner, '/api/v1/courses', input)
    expect(denied.statusCode).toBe(403)
    expect((await post(agent, '/api/v1/courses', { ...input, categoryId: 99999 })).statusCode).toBe(422)
    const res = await post(agent, '/api/v1/courses', input)
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ title: 'Cards basics', published: false, category: { id: cards, name: 'Cards' }, grantsClearance: 'medium' })
    courseId = res.json().id
  })

  it('keeps an unpublished course from learners', async () => {
    expect((await get(learner, `/api/v1/courses/${courseId}`)).statusCode).toBe(404)
    expect((await post(learner, `/api/v1/courses/${courseId}/enrollments`)).statusCode).toBe(404)
    expect((await get(learner, '/api/v1/courses')).json().items).toEqual([])
    expect((await get(agent, '/api/v1/courses')).json().items.map((c: { id: number }) => c.id)).toContain(courseId)
  })

  it('adds a lesson, a quiz and a practice on a solved ticket of the category, validating each', async () => {
    const base = `/api/v1/courses/${courseId}/lessons`
    expect((await post(learner, base, { kind: 'lesson', title: 'x', body: 'x' })).statusCode).toBe(403)
    const lesson = await post(agent, base, {
      kind: 'lesson',
      title: 'Why cards get declined',
      body: '# Declines\n\nMost are **blocks**.<script>alert(1)</script>',
    })
    expect(lesson.statusCode).toBe(201)
    const badQuiz = { ...quiz, questions: [{ ...quiz.questions[0], correctOptionIds: ['a', 'b'] }] }
    expect((await post(agent, base, { kind: 'quiz', title: 'Check', body: '', quiz: badQuiz })).statusCode).toBe(422)
    expect((await post(agent, base, { kind: 'quiz', title: 'Check', body: '' })).statusCode).toBe(422)
    expect((await post(agent, base, { kind: 'quiz', title: 'Check yourself', body: 'All must be right.', quiz })).statusCode).toBe(201)
    const open = await buildSolvedTicket(app, agent, cards, 'open')
    expect((await post(agent, base, { kind: 'practice', title: 'Reply', body: '', practiceTicketId: open.id })).statusCode).toBe(422)
    const otherCategory = await buildSolvedTicket(app, agent, loans)
    expect((await post(agent, base, { kind: 'practice', title: 'Reply', body: '', practiceTicketId: otherCategory.id })).statusCode).toBe(422)
    const practice = await post(agent, base, { kind: 'practice', title: 'Answer a declined card', body: 'Write the reply.', practiceTicketId: source.id })
    expect(practice.statusCode).toBe(201)
    const lessons = practice.json().lessons as { id: number; kind: 'lesson' | 'quiz' | 'practice'; position: number }[]
    expect(lessons.map((l) => [l.kind, l.position])).toEqual([
      ['lesson', 0],
      ['quiz', 1],
      ['practice', 2],
    ])
    for (const l of lessons) lessonIds[l.kind] = l.id
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/courses/${courseId}`, headers: agent.headers, payload: { published: true } })).statusCode).toBe(
      200,
    )
  })

  it('reorders lessons only with the full list', async () => {
    const url = `/api/v1/courses/${courseId}/lesson-order`
    const put = (as: As, lessonIds: number[]) => app.inject({ method: 'PUT', url, headers: as.headers, payload: { lessonIds } })
    expect((await put(agent, [lessonIds.quiz, lessonIds.lesson])).statusCode).toBe(422)
    expect((await put(learner, [lessonIds.quiz, lessonIds.lesson, lessonIds.practice])).statusCode).toBe(403)
    const res = await put(agent, [lessonIds.quiz, lessonIds.lesson, lessonIds.practice])
    expect(res.json().lessons.map((l: { id: number }) => l.id)).toEqual([lessonIds.quiz, lessonIds.lesson, lessonIds.practice])
    await put(agent, [lessonIds.lesson, lessonIds.quiz, lessonIds.practice])
  })

  it('edits and deletes lessons (authors only), re-checking what the new content needs', async () => {
    const added = (await post(agent, `/api/v1/courses/${courseId}/lessons`, { kind: 'lesson', title: 'Temporary', body: 'x' })).json()
    const temp = added.lessons.at(-1).id
    const patch = (as: As, payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/course-lessons/${temp}`, headers: as.headers, payload })
    expect((await patch(learner, { title: 'Mine' })).statusCode).toBe(403)
    expect((await patch(agent, { kind: 'quiz' })).statusCode).toBe(422)
    const renamed = await patch(agent, { title: 'Renamed', body: 'New *text*' })
    expect(renamed.json().lessons.at(-1)).toMatchObject({ id: temp, title: 'Renamed', body: 'New *text*', kind: 'lesson' })
    const del = (as: As) => app.inject({ method: 'DELETE', url: `/api/v1/course-lessons/${temp}`, headers: as.headers })
    expect((await del(learner)).statusCode).toBe(403)
    expect((await del(agent)).json().lessons).toHaveLength(3)
    expect((await del(agent)).statusCode).toBe(404)
  })

  it('shows learners rendered, sanitized lessons, quizzes without answers and only the anonymized ticket', async () => {
    const res = await get(learner, `/api/v1/courses/${courseId}`)
    expect(res.statusCode).toBe(200)
    const body = res.body
    expect(body).not.toContain('correctOptionIds')
    expect(body).not.toContain('resolution')
    for (const secret of ['Anna', 'Schmidt', '4111', '7946', 'anna.schmidt@mail.test', 'blocked the old card']) expect(body).not.toContain(secret)
    const course = res.json()
    const [lesson, q, practice] = course.lessons
    expect(lesson.html).toContain('<h1>Declines</h1>')
    expect(lesson.html).toContain('<strong>blocks</strong>')
    expect(lesson.html).not.toContain('script')
    expect(q.quiz.questions[1]).toEqual({ id: 'q2', prompt: quiz.questions[1]!.prompt, kind: 'multiple', options: quiz.questions[1]!.options })
    expect(practice.practice.subject).toBe('Card for [name] declined')
    expect(practice.practice.messages).toEqual([
      { from: 'customer', text: 'Hi, this is [name]. My card [number] was declined. Can I get a new one? Call me on [phone] or [email].' },
    ])
    expect((await get(learner, `/api/v1/courses/${courseId}/authoring`)).statusCode).toBe(403)
    const authoring = (await get(agent, `/api/v1/courses/${courseId}/authoring`)).json()
    expect(authoring.lessons[1].quiz.questions[0].correctOptionIds).toEqual(['a'])
  })

  it('needs an enrolment before progress; admins alone enrol others', async () => {
    expect((await post(learner, `/api/v1/course-lessons/${lessonIds.lesson}/complete`)).statusCode).toBe(409)
    expect((await post(learner, `/api/v1/courses/${courseId}/enrollments`, { userIds: [peer.id] })).statusCode).toBe(403)
    const self = await post(learner, `/api/v1/courses/${courseId}/enrollments`)
    expect(self.json()).toEqual({ enrolledUserIds: [learner.id] })
    const byTeam = await post(admin, `/api/v1/courses/${courseId}/enrollments`, { teamId: team })
    expect(byTeam.json().enrolledUserIds.sort()).toEqual([learner.id, peer.id].sort())
    const notes = (await get(peer, '/api/v1/notifications')).json()
    expect(JSON.stringify(notes)).toContain('enrolled you in')
  })

  it('grades quizzes on the server and reveals answers only after a pass', async () => {
    const url = `/api/v1/course-lessons/${lessonIds.quiz}/quiz-attempts`
    expect((await post(learner, url, { answers: { q9: ['a'] } })).statusCode).toBe(422)
    expect((await post(learner, url, { answers: { q1: ['a', 'b'] } })).statusCode).toBe(422)
    const failed = (await post(learner, url, { answers: { q1: ['a'], q2: ['a'] } })).json()
    expect(failed).toMatchObject({ score: 50, passed: false, courseCompleted: false })
    expect(failed.questions).toEqual([
      { id: 'q1', correct: true, correctOptionIds: null },
      { id: 'q2', correct: false, correctOptionIds: null },
    ])
    const passed = (await post(learner, url, { answers: { q1: ['a'], q2: ['b', 'a'] } })).json()
    expect(passed).toMatchObject({ score: 100, passed: true })
    expect(passed.questions[1].correctOptionIds).toEqual(['a', 'b'])
    expect((await post(learner, `/api/v1/course-lessons/${lessonIds.quiz}/complete`)).statusCode).toBe(422)
    const done = await post(learner, `/api/v1/course-lessons/${lessonIds.lesson}/complete`)
    expect(done.json()).toEqual({ lessonId: lessonIds.lesson, courseCompleted: false })
  })

  it('certifies on the last practice pass: category, clearance, trust, audit, notification — and the core lets them reply', async () => {
    const ticket = await buildTicket(app, agent, { teamId: team })
    await app.ctx.db.updateTable('tickets').set({ categoryId: cards }).where('id', '=', ticket.id).execute()
    await putOnShift(app, learner.id)
    const before = await post(learner, `/api/v1/tickets/${ticket.id}/replies`, { body: 'Hi, we are on it.' })
    expect(before.statusCode).toBe(403)
    expect(before.json().error.message).toContain('not certified')

    const url = `/api/v1/course-lessons/${lessonIds.practice}/practice-attempts`
    const first = await post(learner, url, { body: 'Hi, your card is blocked, sorry.' })
    expect(first.statusCode).toBe(201)
    expect((await post(learner, url, { body: 'again' })).statusCode).toBe(409)
    expect((await get(learner, '/api/v1/practice-attempts')).statusCode).toBe(403)
    expect((await post(learner, `/api/v1/practice-attempts/${first.json().id}/grade`, { passed: true, feedback: 'Great' })).statusCode).toBe(403)
    const queue = (await get(agent, '/api/v1/practice-attempts')).json().items
    expect(queue.map((a: { id: number }) => a.id)).toContain(first.json().id)
    const grading = (await get(agent, `/api/v1/practice-attempts/${first.json().id}`)).json()
    expect(grading.ticket.messages[0].text).toContain('[name]')
    expect(grading.resolution[0]).toMatchObject({ author: 'Remy Agent' })
    expect(grading.resolution[0].text).toContain('blocked the old card')
    expect(grading.sourceTicketId).toBe(source.id)

    const fail = await post(agent, `/api/v1/practice-attempts/${first.json().id}/grade`, { passed: false, feedback: 'Say what happens next.' })
    expect(fail.json()).toMatchObject({ status: 'failed', feedback: 'Say what happens next.', grader: { name: 'Remy Agent' } })
    expect((await post(agent, `/api/v1/practice-attempts/${first.json().id}/grade`, { passed: true, feedback: 'x' })).statusCode).toBe(409)
    const second = (await post(learner, url, { body: 'Hi, I blocked your card and a new one arrives in 5 days. Best regards' })).json()
    const pass = await post(agent, `/api/v1/practice-attempts/${second.id}/grade`, { passed: true, feedback: 'Clear and kind.' })
    expect(pass.statusCode).toBe(200)

    const course = (await get(learner, `/api/v1/courses/${courseId}`)).json()
    expect(course.completedAt).toBeGreaterThan(0)
    expect(course.lessons.map((l: { state: string }) => l.state)).toEqual(['done', 'done', 'done'])
    const certs = (await get(learner, '/api/v1/certifications')).json().items
    expect(certs).toEqual([expect.objectContaining({ userId: learner.id, category: { id: cards, name: 'Cards' }, source: 'course' })])
    const me = (await get(learner, '/api/v1/auth/me')).json()
    expect(me.participation).toMatchObject({ clearance: 'medium', trustLevel: 'reviewed', certifiedCategoryIds: [cards] })
    const audit = (await get(admin, `/api/v1/audit-log?action=user.certified&targetId=${learner.id}`)).json().items
    expect(audit).toHaveLength(1)
    expect(audit[0].data).toMatchObject({
      courseId,
      categoryId: cards,
      clearance: { from: 'low', to: 'medium' },
      trustLevel: { from: 'observer', to: 'reviewed' },
    })
    expect(JSON.stringify((await get(learner, '/api/v1/notifications')).json())).toContain('now certified')

    const after = await post(learner, `/api/v1/tickets/${ticket.id}/replies`, { body: 'Hi, we are on it.' })
    expect(after.statusCode).toBe(202)
    expect(after.json().status).toBe('pending_review')
  })

  it('shows progress dashboards to the person and to leads, not to other contributors', async () => {
    const mine = await get(learner, `/api/v1/training/people/${learner.id}`)
    expect(mine.json().courses[0]).toMatchObject({ courseId, percent: 100, quizScores: [{ lessonId: lessonIds.quiz, bestScore: 100, attempts: 2 }] })
    expect((await get(peer, `/api/v1/training/people/${learner.id}`)).statusCode).toBe(403)
    expect((await get(peer, `/api/v1/training/cohort?teamId=${team}`)).statusCode).toBe(403)
    expect((await get(admin, '/api/v1/training/cohort')).statusCode).toBe(422)
    const cohort = (await get(admin, `/api/v1/training/cohort?teamId=${team}`)).json()
    expect(cohort.people).toEqual([
      expect.objectContaining({ id: learner.id, enrolled: 1, completed: 1, percent: 100, averageQuizScore: 100, certifications: ['Cards'] }),
      expect.objectContaining({ id: peer.id, enrolled: 1, completed: 0, percent: 0, averageQuizScore: null }),
    ])
    expect(cohort.courses).toEqual([{ courseId, title: 'Cards basics', enrolled: 2, completed: 1, averagePercent: 50 }])
    const byRole = (await get(agent, '/api/v1/training/cohort?role=contributor')).json()
    expect(byRole.people.map((p: { id: number }) => p.id).sort()).toEqual([learner.id, peer.id].sort())
    const catalogue = (await get(peer, '/api/v1/courses')).json()
    expect(catalogue.items[0]).toMatchObject({ enrolled: true, doneCount: 0, lessonCount: 3, nextLesson: { id: lessonIds.lesson } })
  })

  it('deletes a course (authors only) with its lessons and progress', async () => {
    const created = (await post(agent, '/api/v1/courses', { title: 'Scratch', description: '', categoryId: loans, grantsClearance: 'low' })).json()
    await post(agent, `/api/v1/courses/${created.id}/lessons`, { kind: 'lesson', title: 'x', body: 'x' })
    const del = (as: As) => app.inject({ method: 'DELETE', url: `/api/v1/courses/${created.id}`, headers: as.headers })
    expect((await del(learner)).statusCode).toBe(403)
    expect((await del(agent)).statusCode).toBe(200)
    expect((await get(agent, `/api/v1/courses/${created.id}`)).statusCode).toBe(404)
    expect(await app.ctx.db.selectFrom('courseLessons').select('id').where('courseId', '=', created.id).execute()).toEqual([])
  })

  it('lets admins grant and revoke certifications by hand, audited', async () => {
    const body = { userId: peer.id, categoryId: loans }
    expect((await post(agent, '/api/v1/certifications', body)).statusCode).toBe(403)
    const granted = await post(admin, '/api/v1/certifications', body)
    expect(granted.statusCode).toBe(201)
    expect(granted.json()).toMatchObject({ source: 'manual', grantedBy: { id: admin.id } })
    const del = (as: As) => post(as, '/api/v1/certifications/revoke', body)
    expect((await del(peer)).statusCode).toBe(403)
    expect((await del(admin)).statusCode).toBe(200)
    expect((await del(admin)).statusCode).toBe(404)
    const audit = (await get(admin, `/api/v1/audit-log?action=certification.&targetType=user&targetId=${peer.id}`))
      .json()
      .items.map((e: { action: string }) => e.action)
    expect(audit).toEqual(['certification.revoked', 'certification.granted'])
    expect((await get(peer, `/api/v1/certifications?userId=${learner.id}`)).statusCode).toBe(403)
  })

  it('grades a practice reply once when two reviewers grade it at the same time', async () => {
    const other = await buildUser(app, { role: 'agent', name: 'Olga Agent' })
    await post(peer, `/api/v1/course-lessons/${lessonIds.lesson}/complete`)
    const attempt = (await post(peer, `/api/v1/course-lessons/${lessonIds.practice}/practice-attempts`, { body: 'Hi, a new card is on its way.' })).json()
    const results = await Promise.all([
      post(agent, `/api/v1/practice-attempts/${attempt.id}/grade`, { passed: false, feedback: 'Say when it arrives.' }),
      post(other, `/api/v1/practice-attempts/${attempt.id}/grade`, { passed: false, feedback: 'Add a sign-off.' }),
    ])
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409])
    const audit = (await get(admin, `/api/v1/audit-log?action=practice.graded&targetId=${peer.id}`)).json().items
    expect(audit).toHaveLength(1)
  })
})
