import { performance } from 'node:perf_hooks'

/**
 * Gives memory back once the server goes quiet. After a burst of work V8 keeps the old generation it grew (garbage
 * included) until allocation forces a collection or its memory reducer gets round to it, which can take a minute: a
 * resting server then holds 100 MB it does not use (seen at a million tickets: 230–280 MB for a minute, 155–170 MB
 * after). When the event loop has been nearly idle for one window after a busier one, this runs one full collection.
 * It needs `--expose-gc` (scripts/server-process.mjs sets it for `npm start`, the bench and the Dockerfile); without
 * it, it does nothing. Returns a stop function.
 */
export function collectWhenIdle(opts: { windowMs?: number; busyAbove?: number; idleBelow?: number } = {}): () => void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (typeof gc !== 'function') return () => {}
  const windowMs = opts.windowMs ?? 2000
  const busyAbove = opts.busyAbove ?? 0.05
  const idleBelow = opts.idleBelow ?? 0.02
  let last = performance.eventLoopUtilization()
  let worked = false
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization()
    const utilization = performance.eventLoopUtilization(now, last).utilization
    last = now
    if (utilization > busyAbove) worked = true
    else if (worked && utilization < idleBelow) {
      worked = false
      gc()
      // Memory the first collection only finalized (buffers' backing stores, weakly held entries) goes with a second.
      clearTimeout(second)
      second = setTimeout(gc, windowMs)
      second.unref()
      // The collections' own time must not count as work.
      last = performance.eventLoopUtilization()
    }
  }, windowMs)
  timer.unref()
  let second: ReturnType<typeof setTimeout> | undefined
  return () => {
    clearInterval(timer)
    clearTimeout(second)
  }
}
