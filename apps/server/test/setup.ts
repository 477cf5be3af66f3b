import { afterAll } from 'vitest'
import { resetClock } from '../src/platform/clock.ts'

// The server's test files share their worker's modules (vitest.config.ts: isolate: false), so what a file leaves in
// module state reaches the next file. The clock is the one process-wide state tests move: each file ends on real time.
afterAll(resetClock)
