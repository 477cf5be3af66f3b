import { describe, expect, it } from 'vitest'
import { fillPlaceholders } from './templates.ts'

describe('fillPlaceholders', () => {
  it('fills the given keys and leaves unknown placeholders as written', () => {
    expect(fillPlaceholders('Hi {{ name }}, re {{ticket.subject}} {{nope}}', { name: 'Ada', 'ticket.subject': 'Refund' })).toBe('Hi Ada, re Refund {{nope}}')
  })

  it('never reads inherited properties', () => {
    expect(fillPlaceholders('{{constructor}} {{toString}} {{__proto__}}', {})).toBe('{{constructor}} {{toString}} {{__proto__}}')
  })
})
