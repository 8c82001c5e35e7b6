import env from '#start/env'
import { defineConfig } from '@adonisjs/transmit'
import { RedisTransport } from '@boringnode/bus/transports/redis'

/*
| Live updates over Server-Sent Events. A stream lives in the process that
| accepted it; with REDIS_URL every process relays its broadcasts through
| Redis pub/sub (ioredis), so an event raised by a worker reaches a panel
| connected to any web process. Without it, a broadcast stays in its process.
*/
export function transportFor(redisUrl: string | undefined) {
  return redisUrl ? { driver: () => new RedisTransport(redisUrl) } : null
}

export default defineConfig({
  // Proxies close connections that stay silent for a minute or so.
  pingInterval: '30s',
  transport: transportFor(env.get('REDIS_URL')),
})
