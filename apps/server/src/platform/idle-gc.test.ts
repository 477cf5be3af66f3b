import { afterEach, describe, expect, it } from 'vitest'
import { collectWhenIdle } from './idle-gc.ts'

const g = globalThis as { gc?: () => void }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const busyFor = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('collecting when the server goes quiet', () => {
  const original = g.gc
  afterEach(() => {
    g.gc = original
  })

  it('runs two full collections, a window apart, after a busy window is followed by an idle one, and no more while it stays idle', async () => {
    let collections = 0
    g.gc = () => collections++
    const stop = collectWhenIdle({ windowMs: 200, busyAbove: 0.3, idleBelow: 0.05 })
    try {
      await sleep(450)
      expect(collections).toBe(0)
      // Work: most of a window spent on the event loop.
      for (let i = 0; i < 4; i++) {
        busyFor(60)
        await sleep(5)
      }
      await expect.poll(() => collections, { timeout: 3000, interval: 50 }).toBeGreaterThanOrEqual(1)
      expect(collections).toBe(1)
      await expect.poll(() => collections, { timeout: 3000, interval: 50 }).toBe(2)
      await sleep(700)
      expect(collections).toBe(2)
    } finally {
      stop()
    }
  })

  it('does nothing without --expose-gc', () => {
    g.gc = undefined
    const stop = collectWhenIdle({ windowMs: 10 })
    stop()
  })
})
