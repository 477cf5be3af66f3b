import { describe, expect, it } from 'vitest'
import { detectLanguage } from './language.ts'
import { assessRisk, type CompiledRule, matchCategory, type RiskFacts, wordPattern } from './risk.evaluate.ts'

const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  subject: 'Question',
  customerTexts: ['Hello, how do I change my address?'],
  priority: 'normal',
  status: 'open',
  contactVip: false,
  organizationTier: null,
  repeatCounts: new Map(),
  createdAt: 0,
  firstResponseAt: null,
  now: 1000,
  ...over,
})
const rule = (r: Partial<CompiledRule> & Pick<CompiledRule, 'type'>): CompiledRule => ({
  id: 1,
  name: r.type,
  level: 'medium',
  config: {},
  pattern: null,
  ...r,
  ...(r.pattern === undefined && r.config?.words ? { pattern: wordPattern(r.config.words) } : {}),
})

describe('risk rules (pure)', () => {
  it('matches keywords as whole words in any case, phrases across whitespace', () => {
    const r = rule({ type: 'keywords', config: { words: ['refund', 'data protection'] } })
    expect(assessRisk([r], facts({ customerTexts: ['I want a REFUND now'] })).reasons[0]?.detail).toBe('Mentions “refund”')
    expect(assessRisk([r], facts({ customerTexts: ['refunded? refundable?'] })).reasons).toEqual([])
    expect(assessRisk([r], facts({ subject: 'Data\nprotection request' })).level).toBe('medium')
  })

  it('flags anger from the lexicon, capitals and repeated punctuation, with a minimum of signals', () => {
    const r = rule({ type: 'anger', config: { words: ['unacceptable'], capsRatio: 0.6, punctuationRun: 3, minSignals: 2 } })
    expect(assessRisk([r], facts({ customerTexts: ['This is unacceptable.'] })).reasons).toEqual([])
    const loud = assessRisk([r], facts({ customerTexts: ['THIS IS UNACCEPTABLE, WHERE IS MY MONEY!!!'] }))
    expect(loud.reasons[0]?.detail).toBe('Frustration: angry words (“unacceptable”), writing in capitals, repeated !!! or ???')
  })

  it('takes the highest level of the matching rules and keeps every reason', () => {
    const rules = [
      rule({ id: 1, type: 'priority', level: 'medium', config: { priorities: ['high'] } }),
      rule({ id: 2, type: 'vip', level: 'high', config: { tiers: ['enterprise'] } }),
      rule({ id: 3, type: 'sla_breach', level: 'low', config: { hours: 1 } }),
    ]
    const r = assessRisk(rules, facts({ priority: 'high', organizationTier: 'Enterprise', now: 2 * 3_600_000 }))
    expect(r.level).toBe('high')
    expect(r.reasons.map((x) => x.ruleId)).toEqual([1, 2, 3])
    expect(assessRisk(rules, facts({ firstResponseAt: 5 })).reasons).toEqual([])
  })

  it('counts repeated contacts per rule window', () => {
    const r = rule({ id: 7, type: 'repeat_contact', config: { tickets: 3, messages: 5, hours: 24 } })
    expect(assessRisk([r], facts({ repeatCounts: new Map([[7, { tickets: 3, messages: 1 }]]) })).reasons[0]?.detail).toBe(
      'The requester opened 3 tickets in 24 hours',
    )
    expect(assessRisk([r], facts({ repeatCounts: new Map([[7, { tickets: 1, messages: 4 }]]) })).reasons).toEqual([])
    expect(assessRisk([r], facts({ repeatCounts: new Map([[7, { tickets: 19, messages: 1 }]]) })).reasons[0]?.detail).toBe(
      'The requester opened 19 tickets in 24 hours',
    )
    expect(assessRisk([r], facts({ repeatCounts: new Map([[7, { tickets: 20, messages: 1 }]]) })).reasons[0]?.detail).toBe(
      'The requester opened at least 20 tickets in 24 hours',
    )
  })

  it('detects a handful of languages and stays silent when unsure', () => {
    expect(detectLanguage('Hallo, ich habe eine Frage zu meiner Karte. Sie wurde nicht akzeptiert und ich kann nicht bezahlen.')).toBe('de')
    expect(detectLanguage("Bonjour, je n'arrive pas à payer avec ma carte, pouvez-vous m'aider avec le problème ?")).toBe('fr')
    expect(detectLanguage('Hola, no puedo pagar con mi tarjeta y el banco dice que está bloqueada, gracias por la ayuda')).toBe('es')
    expect(detectLanguage('Hi, my card was declined at the shop yesterday and I would like to know why.')).toBe('en')
    expect(detectLanguage('Card declined')).toBeNull()
    const r = rule({ type: 'language', config: { defaultLanguage: 'en' } })
    expect(assessRisk([r], facts({ customerTexts: ['Hallo, ich habe eine Frage zu meiner Karte, sie wurde nicht akzeptiert.'] })).reasons[0]?.detail).toBe(
      'Written in German',
    )
  })

  it('picks the category whose keywords appear most, older first on ties', () => {
    const cats = [
      { id: 1, pattern: wordPattern(['card']) },
      { id: 2, pattern: wordPattern(['transfer', 'iban']) },
    ]
    expect(matchCategory(cats, ['My transfer to this IBAN failed, and my card'])).toBe(2)
    expect(matchCategory(cats, ['card transfer'])).toBe(1)
    expect(matchCategory(cats, ['hello'])).toBeNull()
  })
})
