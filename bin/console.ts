/*
| Ace entrypoint: boots the command-line kernel. Commands boot the
| application only when they ask for it (options.startApp).
*/
await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')

const APP_ROOT = new URL('../', import.meta.url)

// Without DATABASE_URL, reach the embedded server `npm start` is running.
if (!process.env.DATABASE_URL) {
  const { runningEmbeddedEnv } = await import('../database/embedded_postgres.js')
  const found = await runningEmbeddedEnv(new URL('storage/', APP_ROOT).pathname)
  for (const [name, value] of Object.entries(found)) process.env[name] ??= value
}

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
  .ace()
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
