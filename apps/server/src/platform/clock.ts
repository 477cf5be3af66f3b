/** The one source of "now", so tests can move time. */
let offset = 0
export const now = (): number => Date.now() + offset
export const advanceClock = (ms: number): void => {
  offset += ms
}
export const resetClock = (): void => {
  offset = 0
}
