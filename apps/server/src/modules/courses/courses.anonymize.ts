/**
 * Masks what identifies a person in a past ticket so learners can practise on it: names (those the
 * database knows and capitalized names after greetings and sign-offs), email addresses, URLs carrying
 * tokens, phone numbers, card/IBAN/account numbers and other digit runs. Deterministic: the same text and
 * names always give the same output.
 */
export const PLACEHOLDERS = { name: '[name]', email: '[email]', url: '[link]', phone: '[phone]', number: '[number]' } as const

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi
// IBAN: two letters, two check digits, 11–30 alphanumerics, optionally grouped by spaces.
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g
// A phone number: optional +country, digits grouped by spaces, dots, dashes or parentheses, 7+ digits in all.
const PHONE = /(?<![\w[])(?:\+|00)?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){2,5}(?![\w\]])/g
// Card and account numbers written in groups (4111 1111 1111 1111, 1234-5678-9012).
const GROUPED_DIGITS = /\b\d{3,6}(?:[ -]\d{3,6}){2,4}\b/g
// Any other run of 4+ digits (order numbers, account numbers, postcodes) — amounts like 12.50 stay readable.
const DIGIT_RUN = /(?<![\d.,])\d{4,}(?![\d.,]\d)/g

const GREETING_WORDS = ['Hi', 'Hello', 'Hey', 'Dear', 'Hallo', 'Hej', 'Morning', 'Afternoon', 'Evening', 'Thanks', 'Thank you']
const TITLES = '(?:Mr|Mrs|Ms|Miss|Dr|Prof)\\.?'
const SIGN_OFFS = [
  'Regards',
  'Best regards',
  'Kind regards',
  'Warm regards',
  'Best',
  'Cheers',
  'Thanks',
  'Thank you',
  'Sincerely',
  'Yours',
  'Many thanks',
  'Best wishes',
]
const NAME = "[A-Z][a-zà-ÿ'’-]+(?:[ ][A-Z][a-zà-ÿ'’-]+)?"
const GREETING_NAME = new RegExp(`\\b((?:(?:${GREETING_WORDS.join('|')})(?:[ \\t]+${TITLES})?|${TITLES}),?[ \\t]+)(${NAME})\\b`, 'g')
const SIGN_OFF_NAME = new RegExp(`((?:${SIGN_OFFS.join('|')}),?[ \\t]*\\r?\\n[ \\t]*)(${NAME})(?=[ \\t]*(?:\\r?\\n|$))`, 'g')
// Words that follow a greeting but are not names.
const NOT_NAMES = new Set(['There', 'Team', 'Support', 'All', 'Everyone', 'Again', 'For', 'So', 'Very', 'Sir', 'Madam', 'Folks', 'Guys', 'You'])

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Name parts worth masking on their own: "Anna Schmidt" → "Anna Schmidt", "Anna", "Schmidt". */
export function nameVariants(names: string[]): string[] {
  const out = new Set<string>()
  for (const raw of names) {
    const name = raw.trim()
    if (name.length < 2 || name.includes('@')) continue
    out.add(name)
    for (const part of name.split(/\s+/)) if (part.length >= 3 && /^\p{Lu}/u.test(part)) out.add(part)
  }
  // Longest first, so "Anna Schmidt" is replaced before "Anna".
  return [...out].sort((a, b) => b.length - a.length || a.localeCompare(b))
}

/** The text with personal data replaced by placeholders. `knownNames`: people in the ticket and staff. */
export function anonymizeText(text: string, knownNames: string[] = []): string {
  let out = text
  out = out.replace(URL, PLACEHOLDERS.url)
  out = out.replace(EMAIL, PLACEHOLDERS.email)
  out = out.replace(IBAN, PLACEHOLDERS.number)
  out = out.replace(GROUPED_DIGITS, PLACEHOLDERS.number)
  // A phone number is written in groups or with a country prefix; a bare digit run is just a number.
  out = out.replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 && /[\s.()+-]/.test(m) ? PLACEHOLDERS.phone : m))
  out = out.replace(DIGIT_RUN, PLACEHOLDERS.number)
  const variants = nameVariants(knownNames)
  if (variants.length) {
    const known = new RegExp(`(?<![\\p{L}\\p{N}])(?:${variants.map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'giu')
    out = out.replace(known, PLACEHOLDERS.name)
  }
  out = out.replace(GREETING_NAME, (m, lead: string, name: string) => {
    const first = name.split(' ')[0]!
    return NOT_NAMES.has(first) ? m : `${lead}${PLACEHOLDERS.name}`
  })
  out = out.replace(SIGN_OFF_NAME, (_m, lead: string) => `${lead}${PLACEHOLDERS.name}`)
  return out
}
