// The server under test, started through this file so its command line is the bench's own: on a shared machine,
// tooling that stops dev servers by name (`pkill -f apps/server/src/main.ts`) must not take the measured process down.
await import('../apps/server/src/main.ts')
