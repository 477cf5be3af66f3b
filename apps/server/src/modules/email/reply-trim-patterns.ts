// Line patterns for reply trimming. Every pattern is tested against one line (or a few joined lines,
// capped in length by the caller), so none of them can backtrack across a whole message body.

/** Verbs that end an attribution line ("On … wrote:"), per language, as mail clients write them. */
const WROTE_VERBS = [
  'wrote',
  'writes',
  'a écrit',
  'écrit',
  'schrieb',
  'escribió',
  'ha scritto',
  'scritto',
  'escreveu',
  'schreef',
  'skrev',
  'kirjoitti',
  'написал',
  'написала',
  'написал\\(а\\)',
  'пишет',
  'napisał',
  'napisała',
  'napisał\\(a\\)',
  'pisze',
  'napsal',
  'napísal',
  'írta',
  'yazdı',
  'έγραψε',
  '写道',
  '寫道',
  'のメッセージ',
  '書きました',
  '작성',
]

/** Words an attribution line starts with: "On", "Le", "Am", "El", "Il", "In data", "Em", "Op", "Den", "W dniu", "Dnia". */
const ATTRIBUTION_START = /^(?:on|le|am|el|il|in data|em|op|den|w dniu|dnia|el día|在|于|於)\s/i

const VERB = `(?:${WROTE_VERBS.join('|')})`

/** "…wrote:" at the end, or "… schrieb NAME <mail>:" (de, nl, sv, da, no put the name after the verb). */
const ENDS_WITH_VERB = new RegExp(`(?:^|[\\s,)>"'])${VERB}\\s*[:：]?$`, 'iu')
const VERB_THEN_NAME = new RegExp(`\\s${VERB}\\s.{1,200}[:：]$`, 'iu')

/** A mail address in angle brackets, or a bare address, anywhere in the line. */
const HAS_ADDRESS = /<[^<>\s]+@[^<>\s]+>|\[mailto:[^\]]+\]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/

/** A year or a clock time: attribution lines carry the date of the quoted message. */
const HAS_DATE = /\b(?:19|20)\d{2}\b|\b\d{1,2}[:.]\d{2}\b/

/** Zoho frames the attribution in dashes: "---- On … wrote ----". */
const FRAMING_DASHES = /^[-\s]*|[-\s]*$/g

/**
 * Whether `line` (one line, or a few lines joined by spaces) is an attribution such as "On <date>, <name> wrote:"
 * in one of the supported languages, or a date-and-address line ending in ':' (ru, ko and generic client forms).
 */
export function isAttribution(line: string): boolean {
  const text = line.replace(FRAMING_DASHES, '')
  if (text.length < 8 || text.length > 400) return false
  if (ENDS_WITH_VERB.test(text) || VERB_THEN_NAME.test(text)) {
    // "On … wrote:" needs its opening word, or a date or address; prose like "and then he wrote:" has neither.
    return ATTRIBUTION_START.test(text) || HAS_ADDRESS.test(text) || HAS_DATE.test(text) || /you wrote:?$/i.test(text)
  }
  // "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:" and "2019-03-01 10:00 GMT+01:00 Name <a@b.c>:".
  return /(?:<[^<>\s]+@[^<>\s]+>|\))\s*[:：]$/.test(text) && HAS_DATE.test(text) && /\d{1,2}[:.]\d{2}/.test(text)
}

/** Header names that open a quoted Outlook-style block ("From:", "Von:", "De :", …). */
const FROM_NAMES = [
  'from',
  'von',
  'de',
  'da',
  'van',
  'från',
  'fra',
  'frá',
  'от',
  'od',
  'lähettäjä',
  'feladó',
  'kimden',
  'afzender',
  'remitente',
  'mittente',
  'expéditeur',
  '发件人',
  '寄件者',
  '差出人',
  '보낸 사람',
]

/** Other header names of such a block: sent/date, to, cc, subject, in the same languages. */
const OTHER_HEADER_NAMES = [
  'sent',
  'date',
  'message du',
  'copie à',
  'sujet',
  'to',
  'cc',
  'subject',
  'reply-to',
  'gesendet',
  'datum',
  'an',
  'betreff',
  'envoyé',
  'envoyé le',
  'à',
  'a',
  'objet',
  'enviado',
  'enviado el',
  'fecha',
  'para',
  'asunto',
  'inviato',
  'data',
  'oggetto',
  'verzonden',
  'aan',
  'onderwerp',
  'skickat',
  'till',
  'ämne',
  'sendt',
  'til',
  'emne',
  'dato',
  'отправлено',
  'дата',
  'кому',
  'тема',
  'wysłano',
  'do',
  'temat',
  'lähetetty',
  'vastaanottaja',
  'aihe',
  'elküldve',
  'címzett',
  'tárgy',
  '发送时间',
  '收件人',
  '主题',
  '日時',
  '宛先',
  '件名',
]

const headerLine = (names: string[]) => new RegExp(`^\\s*[*_]?(?:${names.join('|')})[*_]?\\s?[:：]`, 'iu')

/** "From: …" and its translations, optionally bold ("*From:*") as Outlook renders HTML headers into text. */
export const FROM_HEADER = headerLine(FROM_NAMES)
/** "Sent: …", "To: …", "Subject: …" and their translations. */
export const OTHER_HEADER = headerLine(OTHER_HEADER_NAMES)

/** "-----Original Message-----" in the languages Outlook ships. */
export const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|oprindelig (?:besked|meddelelse)|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|ursprungligt meddelande|opprinnelig melding|alkuperäinen viesti|исходное сообщение|wiadomość oryginalna|původní zpráva|eredeti üzenet)\s*-*\s*$/iu

/** Forward markers: a whole message that starts with one of these is kept as it is. */
export const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*(?:forwarded message|original message follows|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|mensagem encaminhada|doorgestuurd bericht|vidarebefordrat meddelande|videresendt (?:besked|meddelelse|melding)|välitetty viesti|пересылаемое сообщение|przekazana wiadomość)\s*-*|begin forwarded message:|anfang der weitergeleiteten nachricht:|début du message (?:réexpédié|transféré)\s?:)\s*$/iu

/** Outlook's horizontal rule above the quoted header block. */
export const UNDERSCORE_RULE = /^\s*_{20,}\s*$/

/** A `>`-quoted line. */
export const QUOTED_LINE = /^\s*>/

/** "-- " (RFC 3676), the common "--" without the trailing space, and the "__" mailing-list footer rule. */
export const SIGNATURE_DELIMITER = /^(?:--\s?|_{2,}\s*)$/

/** A greeting alone above a quote ("Hi,") does not make the message top-posted. */
export const GREETING = /^(?:hi|hello|hey|dear|bonjour|hallo|hola|ciao|olá|oi|hej|moi|привет|cześć)\b.{0,30}$/iu

/** Separator rows left between the reply and a quoted header ("====", "-----"). */
export const SEPARATOR_ROW = /^\s*[-=_*~]{3,}\s*$/

/** Lines mobile clients append ("Sent from my iPhone"), matched as whole short lines only. */
export const MOBILE_SIGNATURE = new RegExp(
  `^(?:${[
    'sent from (?:my )?.{1,60}',
    'sent with .{1,60}',
    'sent via .{1,60}',
    'get outlook for .{1,40}',
    'envoyé (?:de|depuis|à partir de) .{1,60}',
    'télécharger outlook pour .{1,40}',
    'von meinem .{1,60} gesendet',
    'gesendet (?:von|mit) .{1,60}',
    'enviado (?:desde|do|de) .{1,60}',
    'inviato da .{1,60}',
    'verzonden (?:vanaf|met) .{1,60}',
    'verstuurd vanaf .{1,60}',
    'skickat från .{1,60}',
    'sendt fra .{1,60}',
    'lähetetty .{1,60}',
    'отправлено (?:с|из) .{1,60}',
    'wysłane z .{1,60}',
  ].join('|')})$`,
  'iu',
)

/** Sign-offs that start a signature when followed only by a few short lines (name, role, company). */
export const VALEDICTION =
  /^(?:(?:best|kind|warm|warmest|many)?\s*regards|cheers|best wishes|cordialement|bien à vous|mit freundlichen grüßen|viele grüße|beste grüße|met vriendelijke groet(?:en)?|saludos(?: cordiales)?|cordiali saluti|atenciosamente|med vänlig hälsning|med venlig hilsen|med vennlig hilsen|ystävällisin terveisin|pozdrawiam|с уважением)[\s,.!！]*$/iu
