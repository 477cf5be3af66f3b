// How the server process runs, shared by `npm start`, the bench and the Dockerfile (keep its CMD/ENV in step):
// - `--enable-source-maps`: stack traces point at the TypeScript sources.
// - `--max-semi-space-size=8`: 8 MB semi-spaces (V8's young generation) — idle RSS 197 → 183 MB, after a mail burst
//   247 → 216 MB, side by side.
// - `MALLOC_MMAP_THRESHOLD_=131072`: a fixed glibc mmap threshold. By default glibc raises the threshold to the size
//   of the largest block it has freed, so the 19 MiB working buffers of each argon2 password check (run on libuv's
//   thread pool) end up in per-thread arenas that are never returned; fixed, they are mapped and unmapped each time.
//   RSS after start plus four concurrent logins: 160–162 → 137–146 MB, side by side.
// - `--expose-gc`: lets the server run one full collection when it goes quiet after work (platform/idle-gc.ts): idle RSS
//   at a million tickets on PostgreSQL was 230–280 MB in one bench run of three, for up to a minute after the workload.
export const serverFlags = ['--enable-source-maps', '--max-semi-space-size=8', '--expose-gc']
export const serverEnv = { MALLOC_MMAP_THRESHOLD_: '131072' }
