/*
| Live updates: transmit carries the core's events (server/messaging/live.ts)
| to the panel over Server-Sent Events. A team's channel is open to its
| members and to admins. A stream belongs to the user who opened it: only
| they may subscribe or unsubscribe it, so a leaked stream id is useless.
*/
import app from '@adonisjs/core/services/app'
import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import transmit from '@adonisjs/transmit/services/main'
import { setLivePublisher } from '#messaging/live'
import { canSeeTeam } from '#services/access'
import { invalidField } from '#services/team_scope'

type Broadcastable = Parameters<typeof transmit.broadcast>[1]

// Events carry ids and JSON values only (see live.ts), so they serialise as is.
setLivePublisher((channel, payload) => transmit.broadcast(channel, payload as Broadcastable))

/*
| On shutdown the HTTP server waits for open requests, and an event stream
| never ends by itself: end the streams first (clients reconnect elsewhere).
| Registered once the server listens, so it runs before the server's own
| hook (terminating hooks run in reverse order).
*/
void app.ready(() => {
  app.terminating(() => {
    for (const [stream] of transmit.getManager().getAllSubscribers()) stream.end()
  })
})

const TEAM_ID = /^[1-9]\d{0,8}$/

transmit.authorize<{ id: string }>('teams/:id', async (ctx: HttpContext, { id }) => {
  const user = ctx.auth.user
  if (!user || !TEAM_ID.test(id)) return false
  return canSeeTeam(user, Number(id))
})

/** Open streams of this process: stream id → its owner and its response. */
const owners = new Map<string, { userId: number; response: HttpContext['response']['response'] }>()

function field(ctx: HttpContext, name: string, pattern: RegExp, hint: string): string {
  const value: unknown = ctx.request.input(name)
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw invalidField(name, typeof value === 'string' ? 'format' : 'required', hint)
  }
  return value
}

/**
 * Runs after the auth middleware on the three transmit routes. Besides the
 * ownership rule it answers bad input with a 422 (transmit alone would
 * answer a 500 or an empty 400) and a refused channel with a 403.
 */
export async function liveStreamGuard(ctx: HttpContext, next: NextFn) {
  const user = ctx.auth.getUserOrFail()
  const uid = field(ctx, 'uid', /^[\w-]{1,64}$/, 'uid must be 1-64 letters, digits, - or _')

  if (ctx.request.method() === 'GET') {
    const owner = owners.get(uid)
    if (owner && owner.userId !== user.id) {
      throw new Exception('This uid belongs to another open stream', {
        status: 409,
        code: 'E_UID_IN_USE',
      })
    }
    // The same user reconnecting takes the uid over; the old socket's close
    // must then not forget the new stream.
    const response = ctx.response.response
    owners.set(uid, { userId: user.id, response })
    response.on('close', () => {
      if (owners.get(uid)?.response === response) owners.delete(uid)
    })
    return next()
  }

  const channel = field(ctx, 'channel', /^teams\/[1-9]\d{0,8}$/, 'channel must be teams/<id>')
  if (owners.get(uid)?.userId !== user.id) {
    throw new Exception('No open event stream with this uid', {
      status: 404,
      code: 'E_NOT_FOUND',
    })
  }
  if (ctx.request.url().endsWith('/subscribe')) {
    // The same check transmit makes, asked first so a refusal is a clear 403.
    if (!(await transmit.getManager().verifyAccess(channel, ctx))) {
      throw new Exception('Not a member of this team', { status: 403, code: 'E_FORBIDDEN' })
    }
  }
  return next()
}
