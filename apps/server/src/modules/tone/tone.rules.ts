import type { ToneHintDto, ToneRuleId } from '@allhands/contract'

/**
 * The tone coach's rules: deterministic checks over a reply draft's plain text. No external service,
 * no model — the same draft always gets the same hints.
 */
export const TONE_RULE_INFO: Record<ToneRuleId, { label: string; description: string }> = {
  greeting: { label: 'Greeting', description: 'The reply opens by greeting the customer.' },
  sign_off: { label: 'Sign-off', description: 'The reply ends with a friendly sign-off.' },
  blame: { label: 'Blame and dismissive phrases', description: '"You should have", "as I already said", "calm down"… with kinder alternatives.' },
  all_caps: { label: 'All caps', description: 'Words or sentences in capitals read as shouting.' },
  negative_wording: { label: 'Negative wording', description: '"Can\'t", "problem", repeated "unfortunately" — with positive alternatives.' },
  long_sentences: { label: 'Long sentences', description: 'Sentences over 30 words.' },
  reading_level: { label: 'Reading level', description: 'Flesch reading ease below 50 (hard to read).' },
  unanswered_questions: { label: 'Unanswered questions', description: "Questions from the customer's last message the draft does not seem to address." },
}

type Hint = ToneHintDto

const GREETING = /^\s*(hi|hello|hey|dear|good (morning|afternoon|evening|day)|greetings|hallo|hej|thanks for|thank you for|welcome)\b/i
const SIGN_OFF =
  /\b(best|best regards|kind regards|warm regards|regards|cheers|thanks|thank you|many thanks|sincerely|all the best|best wishes|take care|have a (great|good|nice|lovely) (day|week|weekend|evening)|talk soon|speak soon)\b[\s\S]{0,60}$/i

const BLAME: { re: RegExp; suggestion: string }[] = [
  { re: /\byou should have\b/i, suggestion: 'Next time, it helps to…' },
  { re: /\byou (?:failed|forgot|neglected) to\b/i, suggestion: 'It looks like … did not go through — let us fix that together.' },
  {
    re: /\bas I (?:already|previously) (?:said|mentioned|explained|told you)\b|\bas I said before\b|\bas (?:previously|already) (?:stated|mentioned|explained)\b/i,
    suggestion: 'To recap, …',
  },
  { re: /\bobviously\b|\bclearly you\b/i, suggestion: 'Leave it out: what is obvious to us is often not to the customer.' },
  { re: /\bcalm down\b/i, suggestion: 'I understand this is frustrating, and I want to help.' },
  { re: /\bnot our (?:problem|fault|responsibility)\b/i, suggestion: 'Let me see what we can do.' },
  { re: /\b(?:it is|it's) your (?:fault|problem|responsibility)\b|\byour fault\b/i, suggestion: 'Let us look at what happened together.' },
  { re: /\bdid you (?:even|actually) (?:read|try)\b/i, suggestion: 'Could you let me know whether you were able to try …?' },
  { re: /\bread the (?:manual|instructions|faq)\b|\brtfm\b/i, suggestion: 'You will find the steps here: …' },
  { re: /\byou (?:must|need to) (?:understand|realize|realise)\b/i, suggestion: 'Here is how it works: …' },
  { re: /\bthere is nothing (?:we|I) can do\b/i, suggestion: 'Here is what we can do: …' },
]

const NEGATIVE: { re: RegExp; message: string; suggestion: string }[] = [
  { re: /\b(?:can't|can’t|cannot|can not)\b/i, message: 'Saying what you cannot do', suggestion: 'What we can do is …' },
  { re: /\b(?:won't|won’t) be able to\b/i, message: 'Saying what will not happen', suggestion: 'We will be able to … as soon as …' },
  { re: /\bproblems?\b/i, message: '"Problem" sounds heavier than it needs to', suggestion: 'issue' },
  { re: /\bimpossible\b/i, message: '"Impossible" closes the door', suggestion: 'What we can offer instead is …' },
]

// Capitalized abbreviations that are not shouting.
const ACRONYMS = new Set(
  'ID PIN IBAN BIC SWIFT SEPA FAQ URL API PDF CSV USA UK EU ATM SMS OK VAT CEO CTO GDPR HTTP HTTPS SSO VIP IT HR PS NB USD EUR GBP CHF TAN OTP QR NFC POS APP IOS CVV CVC EMV ETA ASAP PM AM FYI CC BCC'.split(
    ' ',
  ),
)

const QUESTION_START =
  /^(how|what|why|when|where|who|whom|whose|which|can|could|would|will|is|are|am|do|does|did|should|shall|may|might|have|has|was|were|isn't|aren't|don't|doesn't)\b/i
const STOPWORDS = new Set(
  `about above after again also and any are because been before being below between both but can cannot could did does doing down during each few for from further had has have having her here hers herself him himself his how into its itself just more most much must myself nor not now off once only other our ours out over own same she should some such than that the their theirs them then there these they this those through too under until very was were what when where which while who whom why will with would you your yours yourself yourselves please thanks thank hello dear regards still really like want know need tell able get got going make made sure okay yes`.split(
    ' ',
  ),
)

export const wordsOf = (text: string): string[] => text.match(/[\p{L}\p{N}'’]+/gu) ?? []

export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => wordsOf(s).length > 0)
}

/** Syllables by the usual English heuristic: vowel groups, minus a silent final e, at least one. */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '')
  if (!w) return 0
  if (w.length <= 3) return 1
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '')
  return Math.max(1, (w.match(/[aeiouy]+/g) ?? []).length)
}

/** Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word. */
export function fleschReadingEase(text: string): number | null {
  const words = wordsOf(text)
  const sentences = sentencesOf(text)
  if (!words.length || !sentences.length) return null
  const syl = words.reduce((n, w) => n + syllables(w), 0)
  return Math.round((206.835 - 1.015 * (words.length / sentences.length) - 84.6 * (syl / words.length)) * 10) / 10
}

const excerptOf = (s: string, max = 80) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)
const stem = (w: string) =>
  w
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/(?:ing|ed|es|s)$/, '')
const keywordsOf = (s: string) => [
  ...new Set(
    wordsOf(s)
      .filter((w) => w.length >= 4 && !STOPWORDS.has(w.toLowerCase()))
      .map(stem),
  ),
]

/** Questions in a customer message: sentences ending in "?" or opening with a question word. */
export function questionsIn(text: string): string[] {
  return sentencesOf(text).filter((s) => s.endsWith('?') || QUESTION_START.test(s))
}

/** Whether a draft seems to address a question: enough of its keywords (crudely stemmed) appear in the draft. */
export function addresses(draft: string, question: string): boolean {
  const keys = keywordsOf(question)
  if (!keys.length) return true
  const inDraft = new Set(wordsOf(draft).map(stem))
  const hits = keys.filter((k) => inDraft.has(k)).length
  return hits >= Math.min(2, keys.length)
}

/** Runs the enabled rules over a draft. `customerMessage`: the ticket's latest customer text, if known. */
export function checkTone(
  text: string,
  opts: { enabled: Set<ToneRuleId>; customerMessage?: string | null; customerFirstName?: string | null },
): { hints: Hint[]; readingEase: number | null; wordCount: number } {
  const words = wordsOf(text)
  const readingEase = fleschReadingEase(text)
  const hints: Hint[] = []
  if (!words.length) return { hints, readingEase, wordCount: 0 }
  const on = (rule: ToneRuleId) => opts.enabled.has(rule)
  const sentences = sentencesOf(text)

  if (on('greeting') && !GREETING.test(text))
    hints.push({
      rule: 'greeting',
      severity: 'info',
      message: 'Open with a greeting: it sets a friendly tone.',
      suggestion: opts.customerFirstName ? `Hi ${opts.customerFirstName},` : 'Hi,',
    })
  if (on('sign_off') && words.length >= 5 && !SIGN_OFF.test(text.trim()))
    hints.push({ rule: 'sign_off', severity: 'info', message: 'End with a sign-off, so the reply does not stop abruptly.', suggestion: 'Best regards,' })

  if (on('blame'))
    for (const b of BLAME) {
      const m = b.re.exec(text)
      if (m)
        hints.push({ rule: 'blame', severity: 'warning', message: `"${m[0]}" can sound like blame or dismissal.`, excerpt: m[0], suggestion: b.suggestion })
    }

  if (on('all_caps')) {
    const shouting = words.filter((w) => /^\p{Lu}[\p{Lu}'’]{2,}$/u.test(w) && !ACRONYMS.has(w.replace(/['’].*$/, '')))
    const capsSentence = sentences.find((s) => {
      const ws = wordsOf(s).filter((w) => /\p{L}/u.test(w))
      return ws.length >= 3 && ws.every((w) => w === w.toUpperCase())
    })
    if (capsSentence)
      hints.push({
        rule: 'all_caps',
        severity: 'warning',
        message: 'A whole sentence in capitals reads as shouting.',
        excerpt: excerptOf(capsSentence),
        suggestion: 'Write it in normal case; use bold for emphasis.',
      })
    else if (shouting.length)
      hints.push({
        rule: 'all_caps',
        severity: 'warning',
        message: `Capitals read as shouting: ${[...new Set(shouting)].slice(0, 5).join(', ')}.`,
        excerpt: shouting[0],
        suggestion: 'Write it in normal case; use bold for emphasis.',
      })
  }

  if (on('negative_wording')) {
    for (const n of NEGATIVE) {
      const m = n.re.exec(text)
      if (m)
        hints.push({
          rule: 'negative_wording',
          severity: 'info',
          message: `${n.message}: try a positive alternative.`,
          excerpt: m[0],
          suggestion: n.suggestion,
        })
    }
    const unfortunately = (text.match(/\bunfortunately\b/gi) ?? []).length
    if (unfortunately >= 2)
      hints.push({
        rule: 'negative_wording',
        severity: 'info',
        message: `"Unfortunately" appears ${unfortunately} times; once is plenty.`,
        excerpt: 'unfortunately',
        suggestion: 'Lead with what you can do instead.',
      })
  }

  if (on('long_sentences'))
    for (const s of sentences.filter((x) => wordsOf(x).length > 30).slice(0, 3))
      hints.push({
        rule: 'long_sentences',
        severity: 'info',
        message: `This sentence has ${wordsOf(s).length} words; split it for easier reading.`,
        excerpt: excerptOf(s),
      })

  if (on('reading_level') && readingEase !== null && words.length >= 20 && readingEase < 50)
    hints.push({
      rule: 'reading_level',
      severity: 'info',
      message: `Reading ease is ${Math.round(readingEase)} (hard to read). Aim for 60 or more: shorter sentences, simpler words.`,
    })

  if (on('unanswered_questions') && opts.customerMessage)
    for (const q of questionsIn(opts.customerMessage)
      .filter((q) => !addresses(text, q))
      .slice(0, 5))
      hints.push({
        rule: 'unanswered_questions',
        severity: 'warning',
        message: 'The customer asked this, and the draft does not seem to answer it.',
        excerpt: excerptOf(q, 160),
      })

  return { hints, readingEase, wordCount: words.length }
}
