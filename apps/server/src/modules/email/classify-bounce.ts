// Bounce recognition and detail extraction. Real bounces come as RFC 3464 reports and as a zoo of older MTA texts
// (Postfix, qmail, Exim, Yahoo, Exchange, GroupWise, SMTP32, MDaemon…), so this looks at structure first, then text.

/** What a bounce tells about the failed delivery; every field is best effort. */
export interface BounceInfo {
  /** Addresses the message could not be delivered to, lowercased, without duplicates. */
  recipients: string[]
  /** RFC 3463 status such as "5.1.1", when the report or text gives one. */
  status?: string
  /** The remote server's diagnostic ("550 5.1.1 User unknown"), first one only. */
  diagnostic?: string
  /** Message-ID of the message that bounced, angle brackets included: how the pipeline finds the ticket. */
  originalMessageId?: string
}

/** The parts of a message bounce detection reads; mailparser's `ParsedMail` fits it. */
export interface BounceInput {
  fromAddress: string
  fromName: string
  subject: string
  text: string
  contentType: string
  reportType: string
  attachments: ReadonlyArray<{ contentType: string; content: string }>
}

const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|mdaemon|mail\.delivery(?:\.system)?|bounce|bounces|nobody-bounce)@/i
/** Display names MTAs send failure notices under when the address itself is a plain mailbox. */
const BOUNCE_SENDER_NAME = /^(?:mail delivery (?:subsystem|system|service)|mailer-daemon|postmaster|mail administrator)$/i

const BOUNCE_SUBJECT =
  /undeliver|undelivered mail|returned mail|return(?:ed)? to sender|delivery (?:status notification \(failure\)|failure|failed|has failed|notification|problem)|mail delivery (?:failed|failure|system)|failure notice|failure delivery|permanent (?:delivery )?(?:error|failure)|could not be delivered|non[- ]?deliver|delivery report|nicht zustellbar|unzustellbar|non remis|no se puede entregar|message not delivered|warning: could not send|failed mail|mail error|delivery (?:status notification|warning)|(?:automatically )?rejected mail/i

/** Sentences MTAs put in the body of a failure notice, in the formats seen in the wild. */
const BOUNCE_BODY =
  /(?:wasn't able to deliver|was not able to deliver|could not be delivered|couldn't be delivered|cannot be delivered|did not reach the following recipient|delivery to the following recipients? (?:failed|has failed|was unsuccessful)|permanent(?:ly)? (?:fatal )?(?:delivery )?errors?|unable to deliver|undeliverable|delivery has failed|delivery failed|user unknown|unknown user|no such user|mailbox (?:unavailable|not found|full|is full)|recipient address rejected|address rejected|message could not be delivered|the following addresses had|the following recipients? (?:failed|could not)|returned mail|not be delivered to one or more|host unknown|this is a permanent error|giving up on|the original message was received|failed to deliver|invalid recipient|does not exist|account (?:is )?(?:disabled|inactive)|over quota|quota exceeded|full mailbox|message was not delivered|was automatically rejected|delivery status notification|did not exactly match)/i

const ADDRESS = /[A-Za-z0-9._%+'=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g

/** Whether the message is a delivery failure report, and why. */
export function detectBounce(input: BounceInput): string | null {
  if (input.reportType === 'delivery-status') return 'multipart/report; report-type=delivery-status'
  if (input.attachments.some((part) => part.contentType === 'message/delivery-status')) return 'message/delivery-status part'
  // A report without (or with a mangled) report-type is still a report, unless it is one of the other two kinds.
  if (/^multipart\/report\b/i.test(input.contentType) && input.reportType === '') return 'multipart/report'
  // Mailer daemons and postmasters do not write to a help desk: whatever they send is about delivery.
  if (BOUNCE_SENDER.test(input.fromAddress)) return 'sent by a mailer daemon or postmaster'
  const subjectSaysSo = BOUNCE_SUBJECT.test(input.subject)
  const bodySaysSo = BOUNCE_BODY.test(input.text.slice(0, 20_000))
  const nullSender = input.fromAddress === ''
  if ((BOUNCE_SENDER_NAME.test(input.fromName.trim()) || nullSender) && (subjectSaysSo || bodySaysSo)) return 'failure notice from a delivery system'
  if (subjectSaysSo && bodySaysSo) return 'failure notice subject and text'
  if (bodySaysSo && /^delivery|^report|^dsn/i.test(input.subject)) return 'failure notice text'
  return null
}

/** Reads recipients, status, diagnostic and the original Message-ID out of a bounce. */
export function extractBounceInfo(input: BounceInput): BounceInfo {
  const reports = [...input.attachments.filter((part) => part.contentType === 'message/delivery-status').map((part) => part.content), input.text].join('\n')
  const info: BounceInfo = { recipients: recipientsOf(reports, input) }
  const status =
    /^\s*Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(reports)?.[1] ??
    /\(#?([245]\.\d{1,3}\.\d{1,3})\)|\b([245]\.\d\.\d{1,3})\b/.exec(input.text)?.slice(1).find(Boolean)
  if (status !== undefined) info.status = status
  const diagnostic = /^\s*Diagnostic-Code:\s*(?:[\w-]+;\s*)?(.+(?:\n[ \t]+.+)*)/im.exec(reports)?.[1]
  if (diagnostic !== undefined) info.diagnostic = diagnostic.replace(/\s+/g, ' ').trim().slice(0, 500)
  const originalMessageId = originalMessageIdOf(input)
  if (originalMessageId !== undefined) info.originalMessageId = originalMessageId
  return info
}

function recipientsOf(reports: string, input: BounceInput): string[] {
  const found = new Set<string>()
  const add = (address: string | undefined) => {
    if (address !== undefined && address !== input.fromAddress.toLowerCase()) found.add(address.toLowerCase().replace(/[.>]+$/, ''))
  }
  for (const match of reports.matchAll(/^\s*(?:Final|Original)-Recipient:\s*(?:rfc822;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?/gim)) add(match[1])
  if (found.size > 0) return [...found]
  // Older formats: "<user@host>:" (qmail, Postfix, Yahoo), "user@host: reason", or the addresses in the first lines.
  const head = input.text.split(/\n-{2,}\s*(?:Original|Below this line|The header)|\n\s*Original message follows|\nReturn-Path:|\nReceived:/i)[0] ?? ''
  for (const match of head.matchAll(/^\s*<([^\s<>]+@[^\s<>]+)>:?/gm)) add(match[1])
  if (found.size > 0) return [...found]
  const quotedHeader = /^\s*(?:From|Return-Path|Sender|Reply-To|Message-ID|Date):/i
  for (const line of head.split('\n')) {
    if (quotedHeader.test(line)) continue
    for (const match of line.matchAll(ADDRESS)) {
      const local = match[0].split('@')[0]?.toLowerCase() ?? ''
      if (!/^(?:mailer-daemon|postmaster|root|abuse|help|support)$/.test(local)) add(match[0])
    }
  }
  if (found.size > 0) return [...found]
  // The notice names nobody (or only a local part): the recipients are then the To/Cc of the returned message.
  for (const headers of returnedHeaderBlocks(input)) {
    for (const match of headers.matchAll(/^(?:To|Cc):(.*(?:\n[ \t].*)*)/gim)) for (const address of (match[1] ?? '').matchAll(ADDRESS)) add(address[0])
  }
  return [...found]
}

/** Header blocks of the returned message: the attached message/rfc822 or headers part, or headers pasted in the text. */
function returnedHeaderBlocks(input: BounceInput): string[] {
  const attached = input.attachments
    .filter((part) => /^(?:message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)$/.test(part.contentType))
    .map((part) => part.content.split(/\r?\n\r?\n/, 1)[0] ?? '')
  const pasted = /^(?:Received|Return-Path|Message-ID|From|Date|Subject|To):[^\n]*(?:\n(?:[\w-]+:|[ \t])[^\n]*)*/im.exec(input.text)?.[0]
  return pasted === undefined ? attached : [...attached, pasted]
}

/** The Message-ID of the bounced message: from the returned message or headers part, else from the report text. */
function originalMessageIdOf(input: BounceInput): string | undefined {
  for (const headers of returnedHeaderBlocks(input)) {
    const id = /^Message-ID:\s*(<[^>\s]+>)/im.exec(headers)?.[1]
    if (id !== undefined) return id
  }
  return /^\s*Message-ID:\s*(<[^>\s]+>)/im.exec(input.text)?.[1]
}
