/** The one source of "now", so tests can move time. */
let offset = 0
let frozenAt: number | null = null
export const now = (): number => (frozenAt ?? Date.now()) + offset
export const advanceClock = (ms: number): void => {
  offset += ms
}
/** Stops time for a test that checks exact durations: from here only advanceClock moves it, until resetClock. */
export const freezeClock = (at: number = Date.now()): void => {
  frozenAt = at
}
export const resetClock = (): void => {
  offset = 0
  frozenAt = null
}
