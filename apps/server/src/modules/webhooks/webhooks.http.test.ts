import { describe, expect, it } from 'vitest'
import { isPublicAddress, parseWebhookUrl, RefusedDestination } from './webhooks.http.ts'

describe('webhook destinations', () => {
  it.each([
    ['93.184.216.34', true],
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['192.0.2.10', false],
    ['240.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['::127.0.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['2001:db8::1', false],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected)
  })

  it('accepts http(s) URLs without credentials only', () => {
    expect(parseWebhookUrl('https://hooks.example.com:8443/in?x=1').host).toBe('hooks.example.com:8443')
    for (const bad of ['ftp://example.com/', 'https://u:p@example.com/', 'javascript:alert(1)', '//example.com/x', 'file:///etc/passwd'])
      expect(() => parseWebhookUrl(bad), bad).toThrow(RefusedDestination)
  })
})
