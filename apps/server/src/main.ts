import { buildApp } from './app.ts'
import { prepareDatabase } from './bootstrap.ts'
import { ConfigError, loadConfig } from './config.ts'
import { seedDemo } from './modules/demo/seed-demo.ts'

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
if (config.demo) await seedDemo(database, { onlyIfEmpty: true })
const app = await buildApp(config, database)
await app.listen({ port: config.port, host: config.host })
app.log.info({ port: config.port, dialect: database.dialect, startupMs: Math.round(performance.now() - started) }, `Allhands is ready at ${config.publicUrl}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close()
    await database.close()
    process.exit(0)
  })
}
