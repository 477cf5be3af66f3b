import type { DetectableLanguage } from '@allhands/contract'

/**
 * A small deterministic language guesser: counts frequent function words of each language. It answers
 * only when the text is long enough and one language clearly leads; otherwise null (unknown), so a
 * short or mixed message never triggers a language rule by accident.
 */
const STOP_WORDS: Record<DetectableLanguage, string[]> = {
  en: ['the', 'and', 'is', 'are', 'was', 'to', 'of', 'my', 'you', 'it', 'this', 'that', 'have', 'with', 'for', 'not', 'please', 'thanks', 'can', 'what', 'why', 'how', 'be', 'on', 'at', 'would', 'your', 'me', 'we', 'i'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'mit', 'sie', 'ein', 'eine', 'auf', 'für', 'zu', 'von', 'den', 'dem', 'es', 'bitte', 'danke', 'mein', 'meine', 'wir', 'haben', 'habe', 'wurde', 'kann', 'auch', 'noch', 'ihr'],
  fr: ['le', 'la', 'les', 'et', 'est', 'je', 'vous', 'pas', 'une', 'des', 'du', 'pour', 'que', 'qui', 'dans', 'mon', 'ma', 'mes', 'avec', 'sur', 'merci', 'bonjour', 'ne', 'ai', 'au', 'aux', 'nous', 'votre', 'ce', 'il'],
  es: ['el', 'la', 'los', 'las', 'y', 'es', 'yo', 'usted', 'no', 'una', 'por', 'para', 'que', 'con', 'mi', 'mis', 'del', 'en', 'gracias', 'hola', 'pero', 'tengo', 'su', 'muy', 'como', 'está', 'esta', 'hay', 'se', 'lo'],
  it: ['il', 'lo', 'gli', 'e', 'è', 'non', 'che', 'per', 'una', 'con', 'mio', 'mia', 'della', 'del', 'sono', 'ho', 'grazie', 'buongiorno', 'ma', 'come', 'anche', 'questo', 'questa', 'nel', 'alla', 'si', 'ci', 'vostro', 'di', 'un'],
  nl: ['de', 'het', 'een', 'en', 'is', 'niet', 'ik', 'je', 'u', 'met', 'voor', 'van', 'dat', 'die', 'op', 'mijn', 'wij', 'we', 'zijn', 'heb', 'hebben', 'bedankt', 'dank', 'maar', 'ook', 'nog', 'kan', 'wordt', 'geen', 'er'],
  pt: ['o', 'os', 'as', 'e', 'é', 'não', 'eu', 'você', 'uma', 'um', 'por', 'para', 'que', 'com', 'meu', 'minha', 'do', 'da', 'dos', 'obrigado', 'obrigada', 'olá', 'mas', 'tenho', 'seu', 'sua', 'muito', 'como', 'está', 'no'],
  sv: ['och', 'är', 'jag', 'det', 'att', 'inte', 'en', 'ett', 'med', 'för', 'på', 'av', 'som', 'min', 'mitt', 'mina', 'vi', 'ni', 'har', 'kan', 'tack', 'hej', 'men', 'också', 'den', 'till', 'om', 'var', 'ska', 'eller'],
}

const LOOKUP = new Map<string, DetectableLanguage[]>()
for (const [lang, words] of Object.entries(STOP_WORDS) as [DetectableLanguage, string[]][])
  for (const w of words) LOOKUP.set(w, [...(LOOKUP.get(w) ?? []), lang])

/** The language a text is most likely written in, or null when it cannot tell with confidence. */
export function detectLanguage(text: string): DetectableLanguage | null {
  const words = text.toLowerCase().match(/\p{L}+/gu)?.slice(0, 2000) ?? []
  if (words.length < 6) return null
  const score = new Map<DetectableLanguage, number>()
  for (const w of words) {
    const langs = LOOKUP.get(w)
    // A word shared by several languages counts a little for each.
    if (langs) for (const l of langs) score.set(l, (score.get(l) ?? 0) + 1 / langs.length)
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const [best, second] = ranked
  if (!best || best[1] < 2.5) return null
  if (best[1] / words.length < 0.12) return null
  if (second && best[1] < second[1] * 1.5) return null
  return best[0]
}

const NAMES: Record<DetectableLanguage, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  sv: 'Swedish',
}
export const languageName = (l: DetectableLanguage) => NAMES[l]
