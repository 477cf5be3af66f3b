import { TONE_RULES, type ToneRuleId } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { addresses, checkTone, fleschReadingEase, questionsIn, syllables } from './tone.rules.ts'

const all = new Set<ToneRuleId>(TONE_RULES)
const only = (rule: ToneRuleId) => new Set<ToneRuleId>([rule])
const rulesHit = (text: string, rule: ToneRuleId, customerMessage?: string) =>
  checkTone(text, { enabled: only(rule), customerMessage }).hints.map((h) => h.rule)

const GOOD = 'Hi Sam,\n\nThanks for writing. I have ordered a new card for you and it will arrive in five days.\n\nBest regards,\nRemy'

describe('tone rules', () => {
  it('passes a friendly, plain reply without hints', () => {
    expect(checkTone(GOOD, { enabled: all }).hints).toEqual([])
  })

  it('gives no hints on an empty draft', () => {
    expect(checkTone('   ', { enabled: all })).toEqual({ hints: [], readingEase: null, wordCount: 0 })
  })

  it('greeting: missing vs present, with the customer first name as suggestion', () => {
    const hint = checkTone('Your card is on its way.', { enabled: only('greeting'), customerFirstName: 'Sam' }).hints[0]
    expect(hint).toMatchObject({ rule: 'greeting', severity: 'info', suggestion: 'Hi Sam,' })
    expect(rulesHit('Hello Sam, your card is on its way.', 'greeting')).toEqual([])
    expect(rulesHit('Good morning! Your card is on its way.', 'greeting')).toEqual([])
  })

  it('sign-off: missing vs present', () => {
    expect(rulesHit('Hi Sam, your new card is on its way to you.', 'sign_off')).toEqual(['sign_off'])
    expect(rulesHit('Hi Sam, your new card is on its way to you. Kind regards, Remy', 'sign_off')).toEqual([])
    expect(rulesHit('Hi Sam, your new card is on its way to you.\nHave a great day!', 'sign_off')).toEqual([])
  })

  it('blame: flags dismissive phrases with an alternative', () => {
    const hints = checkTone('As I already said, you should have called us. Calm down, obviously it is not our problem.', { enabled: only('blame') }).hints
    expect(hints.map((h) => h.excerpt?.toLowerCase())).toEqual(['you should have', 'as i already said', 'obviously', 'calm down', 'not our problem'])
    expect(hints.every((h) => h.severity === 'warning' && h.suggestion)).toBe(true)
    expect(rulesHit('You should find the new card in your mailbox soon.', 'blame')).toEqual([])
  })

  it('all caps: shouting words and sentences, but not acronyms', () => {
    expect(checkTone('Please do NOT share your PIN.', { enabled: only('all_caps') }).hints[0]).toMatchObject({ rule: 'all_caps', excerpt: 'NOT' })
    expect(checkTone('THIS IS NOT OUR FAULT.', { enabled: only('all_caps') }).hints[0]?.message).toContain('whole sentence')
    expect(rulesHit('Your IBAN and PIN are safe; see the FAQ or our GDPR page.', 'all_caps')).toEqual([])
  })

  it("negative wording: can't, problem, impossible and repeated unfortunately", () => {
    const hints = checkTone("Unfortunately we can't do that. Unfortunately the problem is impossible to fix.", { enabled: only('negative_wording') }).hints
    expect(hints.map((h) => h.suggestion)).toEqual(['What we can do is …', 'issue', 'What we can offer instead is …', 'Lead with what you can do instead.'])
    expect(rulesHit('Unfortunately the shop was closed, so here is what we can do.', 'negative_wording')).toEqual([])
  })

  it('long sentences: over 30 words', () => {
    const long = `${Array.from({ length: 31 }, (_, i) => `word${i}`).join(' ')}.`
    expect(checkTone(long, { enabled: only('long_sentences') }).hints[0]).toMatchObject({
      rule: 'long_sentences',
      message: expect.stringContaining('31 words'),
    })
    expect(rulesHit(`${Array.from({ length: 30 }, () => 'word').join(' ')}.`, 'long_sentences')).toEqual([])
  })

  it('reading level: Flesch reading ease with the syllable heuristic', () => {
    expect(syllables('card')).toBe(1)
    expect(syllables('table')).toBe(2)
    expect(syllables('organization')).toBe(5)
    expect(syllables('arrived')).toBe(2)
    expect(fleschReadingEase('The cat sat on the mat.')).toBeGreaterThan(90)
    const dense =
      'Notwithstanding the aforementioned considerations, institutional authentication requirements necessitate comprehensive verification of documentation, consequently delaying organizational processing considerably.'
    expect(fleschReadingEase(dense)).toBeLessThan(0)
    expect(checkTone(`${dense} ${dense}`, { enabled: only('reading_level') }).hints[0]?.rule).toBe('reading_level')
    expect(rulesHit(GOOD, 'reading_level')).toEqual([])
  })

  it('unanswered questions: finds questions and checks keyword overlap', () => {
    const customer = 'Hello. My card was declined yesterday. When will the replacement card arrive? Also, how do I change my PIN? Thanks!'
    expect(questionsIn(customer)).toEqual(['When will the replacement card arrive?', 'Also, how do I change my PIN?'])
    expect(questionsIn('How do I reset the app. I tried.')).toEqual(['How do I reset the app.'])
    expect(addresses('Your replacement card will arrive on Monday.', 'When will the replacement card arrive?')).toBe(true)
    const hints = checkTone('Hi, your replacement card arrives on Monday. Best regards', {
      enabled: only('unanswered_questions'),
      customerMessage: customer,
    }).hints
    expect(hints).toEqual([{ rule: 'unanswered_questions', severity: 'warning', message: expect.any(String), excerpt: 'Also, how do I change my PIN?' }])
    expect(rulesHit('Hi, the replacement card arrives Monday, and you can change your PIN in the app. Best', 'unanswered_questions', customer)).toEqual([])
  })

  it('disabled rules produce no hints', () => {
    const rude = 'YOU SHOULD HAVE READ THE MANUAL. we cannot help'
    expect(checkTone(rude, { enabled: all }).hints.length).toBeGreaterThan(3)
    expect(checkTone(rude, { enabled: new Set() }).hints).toEqual([])
  })
})
