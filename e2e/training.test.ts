import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an agent builds a course, a contributor learns and practises on an anonymized ticket, the agent grades it and the contributor is certified; the tone coach hints on a draft', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Alice Agent', email: 'alice@example.com', password: 'alice-password-1' })
  await owner.createUser({ name: 'Lee Learner', email: 'lee@example.com', password: 'lee-password-1', role: 'contributor' })
  await owner.call('POST', '/categories', { name: 'Cards' })
  const source = await owner.call<{ id: number }>('POST', '/tickets', {
    subject: 'Card for Anna Schmidt declined',
    body: 'Hi, this is Anna Schmidt. My card 4111 1111 1111 1111 was declined at the bakery. Can I get a new one?',
    requester: { email: 'anna.schmidt@mail.example', name: 'Anna Schmidt' },
  })
  await owner.call('POST', `/tickets/${source.id}/replies`, { body: 'Hi Anna, I blocked the old card and ordered a new one. Best regards, Olivia' })
  const categories = await owner.call<{ id: number; name: string }[]>('GET', '/categories')
  await owner.call('PATCH', `/tickets/${source.id}`, { status: 'solved', categoryId: categories.find((c) => c.name === 'Cards')!.id })

  // Alice creates the course in the browser: a lesson, a one-question quiz, a practice on the solved ticket.
  const agent = await signedInPage(env.browser, env.server.url, 'alice@example.com', 'alice-password-1')
  await agent.page.goto('/training')
  await agent.page.getByRole('button', { name: 'New course' }).click()
  const dialog = agent.page.getByRole('dialog', { name: 'New course' })
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Cards basics')
  await dialog.getByRole('textbox', { name: 'Certifies for category' }).click()
  await agent.page.getByRole('option', { name: 'Cards' }).click()
  await dialog.getByRole('button', { name: 'Create and add lessons' }).click()
  await agent.page.getByRole('heading', { name: 'Edit course' }).waitFor()

  await agent.page.getByRole('button', { name: 'Add a lesson' }).click()
  let form = agent.page.getByRole('form', { name: 'New lesson' })
  await form.getByRole('textbox', { name: 'Title' }).fill('Why cards get declined')
  await form.getByRole('textbox', { name: 'Text (markdown)' }).fill('# Declines\n\nMost declines are **blocks**.')
  await form.getByRole('button', { name: 'Add lesson' }).click()
  await agent.page.getByText('1. Why cards get declined').waitFor()

  await agent.page.getByRole('button', { name: 'Add a lesson' }).click()
  form = agent.page.getByRole('form', { name: 'New lesson' })
  await form.getByText('Quiz', { exact: true }).click()
  await form.getByRole('textbox', { name: 'Title' }).fill('Check yourself')
  await form.getByRole('textbox', { name: 'Question 1', exact: true }).fill('What do you never ask for?')
  await form.getByRole('textbox', { name: 'Question 1, option 1' }).fill('The PIN')
  await form.getByRole('textbox', { name: 'Question 1, option 2' }).fill('The first name')
  await form.getByRole('radio', { name: 'Question 1, option 1 is correct' }).check()
  await form.getByRole('button', { name: 'Add lesson' }).click()
  await agent.page.getByText('2. Check yourself').waitFor()

  await agent.page.getByRole('button', { name: 'Add a lesson' }).click()
  form = agent.page.getByRole('form', { name: 'New lesson' })
  await form.getByText('Practice reply', { exact: true }).click()
  await form.getByRole('textbox', { name: 'Title' }).fill('Answer Anna')
  await form.getByRole('textbox', { name: /Solved ticket to practise on/ }).fill(String(source.id))
  await form.getByRole('button', { name: 'Add lesson' }).click()
  await agent.page.getByText('3. Answer Anna').waitFor()

  const details = agent.page.getByRole('form', { name: 'Course details' })
  await details.getByRole('switch', { name: /Published/ }).check()
  await details.getByRole('button', { name: 'Save', exact: true }).click()
  await agent.page.getByText('Course saved').waitFor()

  // Lee enrols, reads, fails then passes the quiz (graded on the server), and writes a practice reply.
  const learner = await signedInPage(env.browser, env.server.url, 'lee@example.com', 'lee-password-1')
  await learner.page.goto('/training')
  const card = learner.page.getByRole('article', { name: 'Cards basics' })
  await card.getByRole('button', { name: 'Enrol' }).click()
  await card.getByText('0 of 3 done').waitFor()
  await card.getByRole('link', { name: 'Cards basics' }).click()
  await learner.page.getByRole('heading', { name: 'Declines' }).waitFor()
  await learner.page.getByRole('button', { name: 'Mark as done' }).click()
  await learner.page.getByText('1 of 3 lessons done').waitFor()

  await learner.page.getByRole('button', { name: /2\. Check yourself/ }).click()
  await learner.page.getByRole('radio', { name: 'The first name' }).check()
  await learner.page.getByRole('button', { name: 'Submit answers' }).click()
  await learner.page.getByText('Not passed yet').waitFor()
  await learner.page.getByRole('radio', { name: 'The PIN' }).check()
  await learner.page.getByRole('button', { name: 'Submit answers' }).click()
  await learner.page.getByText('You scored 100%').waitFor()

  await learner.page.getByRole('button', { name: /3\. Answer Anna/ }).click()
  await learner.page.getByText('Card for [name] declined').waitFor()
  const lesson = learner.page.getByRole('article', { name: 'Answer Anna' })
  expect(await lesson.textContent()).not.toMatch(/Anna Schmidt|4111|anna\.schmidt/)
  await learner.page
    .getByRole('textbox', { name: 'Your reply to the customer' })
    .fill('Hi, I blocked your card and ordered a new one; it arrives in 5 days. Best regards')
  await learner.page.getByRole('button', { name: 'Send for grading' }).click()
  await learner.page.getByText('waiting for a grade').waitFor()

  // Alice grades it beside the real resolution; Lee's page turns to "certified" without a reload.
  await agent.page.goto('/training?tab=grading')
  await agent.page.getByRole('button', { name: /Answer Anna/ }).waitFor()
  await agent.page.getByRole('region', { name: 'Real resolution' }).getByText('I blocked the old card and ordered a new one').waitFor()
  await agent.page.getByRole('region', { name: "Learner's reply" }).getByText('it arrives in 5 days').waitFor()
  await agent.page.getByRole('textbox', { name: 'Feedback for the learner' }).fill('Clear and kind.')
  await agent.page.getByRole('button', { name: 'Pass' }).click()
  await agent.page.getByText('Graded: passed').waitFor()

  await learner.page.getByText('Course completed').waitFor()
  await learner.page.getByText('Clear and kind.').waitFor()
  await learner.page.goto('/training?tab=progress')
  await learner.page.getByRole('region', { name: 'Certifications' }).getByText('Cards · course').waitFor()

  // The tone coach: hints appear under the reply editor as Alice types, and can be dismissed.
  await agent.page.goto(`/tickets/${source.id}`)
  const editor = agent.page.getByTestId('composer-editor')
  await editor.click()
  await agent.page.keyboard.type('As I already said, you should have called us. We CANNOT help')
  const hints = agent.page.getByRole('status', { name: 'Tone coach' })
  await hints.getByText('"you should have" can sound like blame or dismissal.').waitFor()
  await hints.getByText(/Capitals read as shouting: CANNOT/).waitFor()
  await hints.getByRole('button', { name: /Dismiss hint: Capitals read as shouting/ }).click()
  await hints.getByText(/Capitals read as shouting/).waitFor({ state: 'hidden' })
  await hints.getByText('"you should have" can sound like blame or dismissal.').waitFor()

  await learner.context.close()
  await agent.context.close()
})
