import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchEventLoop } from './slow-log.ts'

describe('event loop watch (DATABASE_SLOW_QUERY_MS)', () => {
  afterEach(() => vi.restoreAllMocks())

  it('says how long the event loop was blocked when it was blocked at least the threshold, and not otherwise', async () => {
    const lines: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk))
      return true
    })
    const stop = watchEventLoop(100)
    try {
      await new Promise((r) => setTimeout(r, 100))
      expect(lines).toEqual([])
      const until = performance.now() + 300
      while (performance.now() < until) {
        // Holds the event loop, as a synchronous parse or query would.
      }
      await new Promise((r) => setTimeout(r, 120))
    } finally {
      stop()
    }
    const entries = lines.map((l) => JSON.parse(l))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ level: 40, msg: 'event loop blocked' })
    expect(entries[0].ms).toBeGreaterThanOrEqual(200)
  })
})
