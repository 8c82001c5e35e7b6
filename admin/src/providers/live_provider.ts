import type { LiveEvent, LiveProvider } from '@refinedev/core'
import { Transmit } from '@adonisjs/transmit-client'
import { api } from './http'
import { me } from './session'

/*
| Live updates over Server-Sent Events. The server publishes ids only on
| `teams/<id>`: `message.created|updated` and `conversation.updated`. Refine
| subscribers listen per resource; each event is offered to every
| subscription of the resources it concerns, which then refetch.
*/
type Payload = { event: string; data: { conversationId?: number; messageId?: number } }
type Handler = (event: LiveEvent) => void

let transmit: Transmit | undefined
const handlers = new Map<symbol, { resources: string[]; callback: Handler }>()
const followed = new Set<number>()

function client(): Transmit {
  // The client echoes the XSRF-TOKEN cookie on its subscribe POSTs itself.
  transmit ??= new Transmit({ baseUrl: window.location.origin })
  return transmit
}

function resourcesOf(event: string): string[] {
  if (event.startsWith('message.')) return ['messages', 'conversations']
  if (event.startsWith('conversation.')) return ['conversations']
  return []
}

function deliver(payload: Payload) {
  const resources = resourcesOf(payload.event)
  const live: LiveEvent = {
    channel: `resources/${resources[0] ?? 'unknown'}`,
    type: payload.event.endsWith('created') ? 'created' : 'updated',
    payload: {
      ...payload.data,
      ids: [payload.data.conversationId ?? payload.data.messageId].filter(Boolean) as number[],
    },
    date: new Date(),
    meta: { event: payload.event },
  } as LiveEvent
  for (const { resources: wanted, callback } of handlers.values()) {
    if (wanted.some((r) => resources.includes(r))) callback(live)
  }
}

function followOne(teamId: number) {
  if (followed.has(teamId)) return
  followed.add(teamId)
  const subscription = client().subscription(`teams/${teamId}`)
  subscription.onMessage((payload: Payload) => deliver(payload))
  subscription.create().catch(() => followed.delete(teamId))
}

/** Every team's id, page by page: admins see all teams, members or not. */
async function allTeamIds(): Promise<number[]> {
  const ids: number[] = []
  for (let page = 1; page <= 50; page++) {
    const body = await api<{ data: { id: number }[]; meta: { total: number; perPage: number } }>(
      'GET',
      '/teams',
      { query: { page, perPage: 100 } }
    )
    ids.push(...body.data.map((t) => t.id))
    if (body.data.length < 100 || ids.length >= body.meta.total) break
  }
  return ids
}

// Admins' team list is read again at most this often, so a team created
// since the panel opened is followed too.
const ADMIN_TEAMS_TTL_MS = 60_000
let adminTeamsAt = 0
let following: Promise<void> | undefined

/**
 * Follow every team the user may see: members their teams, admins every
 * team (the server lets admins follow any team, and their inbox lists all).
 */
function follow(): Promise<void> {
  following ??= (async () => {
    const user = await me().catch(() => null)
    if (!user) return
    for (const team of user.teams) followOne(team.id)
    if (user.role === 'admin' && Date.now() - adminTeamsAt > ADMIN_TEAMS_TTL_MS) {
      adminTeamsAt = Date.now()
      const ids = await allTeamIds().catch(() => [] as number[])
      for (const id of ids) followOne(id)
    }
  })().finally(() => {
    following = undefined
  })
  return following
}

/** A team the page knows of that may not be followed yet (one created since, say). */
export function followTeam(teamId: number) {
  followOne(teamId)
}

/** Signing out ends the stream: the next user opens their own and follows their teams. */
export function stopLive() {
  transmit?.close()
  transmit = undefined
  followed.clear()
  adminTeamsAt = 0
}

export const liveProvider: LiveProvider = {
  subscribe({ channel, callback }) {
    const key = Symbol(channel)
    const resource = channel.replace(/^resources\//, '').split('/')[0]
    handlers.set(key, { resources: [resource], callback })
    void follow()
    return key
  },
  unsubscribe(key) {
    handlers.delete(key as symbol)
  },
}

/** For pages that want raw events (the conversation timeline). */
export function onLive(resources: string[], callback: Handler): () => void {
  const key = Symbol('page')
  handlers.set(key, { resources, callback })
  void follow()
  return () => handlers.delete(key)
}
