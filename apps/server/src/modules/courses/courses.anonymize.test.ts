import { describe, expect, it } from 'vitest'
import { anonymizeText, nameVariants } from './courses.anonymize.ts'

describe('anonymizeText', () => {
  it('masks names the database knows, whole and by part, in any case', () => {
    const out = anonymizeText('Anna Schmidt called. Later anna wrote again; Schmidt is her surname. Bob from support answered.', ['Anna Schmidt', 'Bob Agent'])
    expect(out).toBe('[name] called. Later [name] wrote again; [name] is her surname. [name] from support answered.')
  })

  it('masks capitalized names after greetings and on the line after a sign-off, not common words', () => {
    expect(anonymizeText('Hi Maria,\nthanks for writing.')).toBe('Hi [name],\nthanks for writing.')
    expect(anonymizeText('Dear Mr. Okafor Jones, hello')).toBe('Dear Mr. [name], hello')
    expect(anonymizeText('Hello there, Hi team')).toBe('Hello there, Hi team')
    expect(anonymizeText('Kind regards,\nLeonie\n')).toBe('Kind regards,\n[name]\n')
  })

  it('masks email addresses and links that carry tokens', () => {
    expect(anonymizeText('Write to jane.doe+cards@example.co.uk or see https://bank.example/reset?token=abc123.')).toBe('Write to [email] or see [link]')
  })

  it('masks card numbers, IBANs, phone numbers and other digit runs but keeps amounts and short numbers', () => {
    expect(anonymizeText('Card 4111 1111 1111 1111 was charged 12.50 EUR twice.')).toBe('Card [number] was charged 12.50 EUR twice.')
    expect(anonymizeText('IBAN DE89 3704 0044 0532 0130 00 please')).toBe('IBAN [number] please')
    expect(anonymizeText('IBAN GB29NWBK60161331926819.')).toBe('IBAN [number].')
    expect(anonymizeText('Call me on +44 20 7946 0958 or (030) 1234-5678.')).toBe('Call me on [phone] or [phone].')
    expect(anonymizeText('Order 98765432 and account 12345678, 3 items, 2 days')).toBe('Order [number] and account [number], 3 items, 2 days')
  })

  it('is deterministic and leaves text without personal data alone', () => {
    const text = 'My card was declined at the shop yesterday. Why?'
    expect(anonymizeText(text, ['Casey Customer'])).toBe(text)
    const messy = 'Hi Tom, ring 0171 2345678, mail tom@x.io'
    expect(anonymizeText(messy, ['Tom Baker'])).toBe(anonymizeText(messy, ['Tom Baker']))
    expect(anonymizeText(messy, ['Tom Baker'])).toBe('Hi [name], ring [phone], mail [email]')
  })

  it('derives name variants longest first and skips emails and initials', () => {
    expect(nameVariants(['Anna Schmidt', 'x@y.z', 'J', 'Li Wu'])).toEqual(['Anna Schmidt', 'Schmidt', 'Li Wu', 'Anna'])
  })
})
