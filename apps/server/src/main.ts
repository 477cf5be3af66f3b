import { buildApp } from './app.ts'
import { prepareDatabase } from './bootstrap.ts'
import { ConfigError, loadConfig } from './config.ts'
import { seedDemo } from './modules/demo/seed-demo.ts'
import { startImapWatchers, startSmtpListener } from './modules/email/index.ts'
import { collectWhenIdle } from './platform/idle-gc.ts'
import { watchEventLoop } from './platform/slow-log.ts'

const started = performance.now()
let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    process.exit(1)
  }
  throw err
}
const database = await prepareDatabase(config)
if (config.slowQueryMs > 0) watchEventLoop(config.slowQueryMs)
collectWhenIdle()
if (config.demo) await seedDemo(database, { onlyIfEmpty: true })
const app = await buildApp(config, database)
if (config.role !== 'worker') await app.listen({ port: config.port, host: config.host })
else await app.ready()
if (config.role !== 'web') app.ctx.jobs.start()
const imap = config.role !== 'web' ? startImapWatchers(app.ctx) : null
// SMTP_INBOUND_PORT=0 turns the listener off. A taken port is reported, not fatal: the help desk still serves.
const smtp =
  config.role !== 'worker' && config.smtpInboundPort > 0
    ? await startSmtpListener(app.ctx, { port: config.smtpInboundPort, host: config.host }).catch((err: Error) => {
        app.log.error({ port: config.smtpInboundPort, err: err.message }, 'inbound SMTP listener could not start')
        return null
      })
    : null
app.log.info(
  { port: config.port, smtpPort: smtp?.port ?? null, role: config.role, dialect: database.dialect, startupMs: Math.round(performance.now() - started) },
  `Allhands is ready at ${config.publicUrl}`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await smtp?.close()
    await imap?.stop()
    await app.close()
    await database.close()
    process.exit(0)
  })
}
