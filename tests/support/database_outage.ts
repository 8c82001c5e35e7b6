/*
| A database outage for tests: the test database refuses new connections and
| every open one is cut, as when PostgreSQL restarts. Done from a connection
| to the server's maintenance database, so the test can end the outage.
*/
import pg from 'pg'

function urls() {
  const url = new URL(process.env.DATABASE_URL!)
  const name = decodeURIComponent(url.pathname.slice(1))
  const admin = new URL(url)
  admin.pathname = '/postgres'
  return { name, admin: admin.toString() }
}

async function asAdmin(work: (client: pg.Client, name: string) => Promise<void>) {
  const { name, admin } = urls()
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  try {
    await work(client, name)
  } finally {
    await client.end()
  }
}

/** `spare`: an application_name whose open sessions survive, as in a connection-limit outage. */
export function startOutage(spare?: string) {
  return asAdmin(async (client, name) => {
    await client.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} WITH ALLOW_CONNECTIONS false`)
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name IS DISTINCT FROM $2`,
      [name, spare ?? null]
    )
  })
}

export function endOutage() {
  return asAdmin(async (client, name) => {
    await client.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} WITH ALLOW_CONNECTIONS true`)
  })
}
