/*
| Live updates for the panel: events fan out to subscribers of the team's
| channel. start/transmit.ts plugs in the transport (Server-Sent Events);
| without one, publishing is a no-op, so the core never depends on it.
*/
export type LiveEvent = 'message.created' | 'message.updated' | 'conversation.updated'

type Publisher = (
  channel: string,
  payload: { event: LiveEvent; data: Record<string, unknown> }
) => void

let publisher: Publisher | undefined

export function setLivePublisher(next: Publisher | undefined) {
  publisher = next
}

/** The stream a team's members may subscribe to. */
export function teamStream(teamId: number) {
  return `teams/${teamId}`
}

export function publish(teamId: number, event: LiveEvent, data: Record<string, unknown>) {
  try {
    publisher?.(teamStream(teamId), { event, data })
  } catch {
    // A live update is a convenience; losing one must not fail the write.
  }
}
