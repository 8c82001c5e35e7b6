/*
| An in-memory PGlite with the pgvector extension, served over the
| PostgreSQL wire protocol so the plain `pg` client (and Lucid) can run
| the pgvector SQL path; neither Debian's PostgreSQL nor the embedded
| cluster the tests boot ships pgvector.
|
| PGlite is one backend: pglite-socket multiplexes connections onto it,
| one query at a time, keeping an open transaction's queries on the
| connection that began it. `maxConnections` is how many clients may be
| connected at once (the server refuses the next one).
*/
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

export interface PGliteServer {
  /** postgres:// URL of the server, on 127.0.0.1 and a free port. */
  url: string
  db: PGlite
  stop(): Promise<void>
}

export async function startPGliteServer(options: { maxConnections?: number } = {}) {
  const db = await PGlite.create({ extensions: { vector } })
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    // The OS picks a free port.
    port: 0,
    maxConnections: options.maxConnections ?? 2,
  })
  try {
    await server.start()
  } catch (error) {
    await db.close()
    throw error
  }
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`

  let stopped = false
  return {
    url,
    db,
    async stop() {
      if (stopped) return
      stopped = true
      await server.stop()
      await db.close()
    },
  } satisfies PGliteServer
}
