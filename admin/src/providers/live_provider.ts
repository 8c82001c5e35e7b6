import type { LiveEvent, LiveProvider } from '@refinedev/core'
import { Transmit } from '@adonisjs/transmit-client'
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

/** Follow every team the user may see; admins follow the teams they are shown. */
async function follow() {
  const user = await me().catch(() => null)
  if (!user) return
  for (const team of user.teams) {
    if (followed.has(team.id)) continue
    followed.add(team.id)
    const subscription = client().subscription(`teams/${team.id}`)
    subscription.onMessage((payload: Payload) => deliver(payload))
    subscription.create().catch(() => followed.delete(team.id))
  }
}

/** Admins see teams they are not members of: the inbox follows those on demand. */
export function followTeam(teamId: number) {
  if (followed.has(teamId)) return
  followed.add(teamId)
  const subscription = client().subscription(`teams/${teamId}`)
  subscription.onMessage((payload: Payload) => deliver(payload))
  subscription.create().catch(() => followed.delete(teamId))
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
