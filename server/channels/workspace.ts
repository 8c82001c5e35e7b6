/*
| The operator workspace port: where people answer (a Slack channel, a
| Telegram forum group). Each conversation handed to people becomes a
| thread there, opened by a card that shows who owns it. Adapters under
| bots/<platform>/ implement it; the core knows only these types.
*/
import type { AttachmentRef, RawRequest } from '#channels/port'

export type WorkspacePlatform = 'slack' | 'telegram'

/** The card at the top of a thread, updated in place as the conversation changes. */
export interface ThreadCard {
  conversationId: number
  /** `<contact> · <platform>`: also the Telegram topic's name. */
  title: string
  contactName: string
  platform: string
  status: string
  owner: string
  assignee: string | null
  priority: string
  tags: string[]
  handoffReason: string | null
}

/** A thread as the platform names it, and the card's own message in it. */
export interface ThreadRef {
  threadId: string
  cardId?: string
}

/** One post into a thread: a mirrored message or a notice. */
export interface ThreadPost {
  text: string
  /** Who said it, as the thread shows it: `Ana (customer)`, `Assistant`, `Bea (panel)`. */
  label?: string
  /** An internal note: shown as such, never to the customer. */
  note?: boolean
  /** Links to files (the platform cannot fetch our authenticated URLs). */
  attachments?: Array<{ kind: string; url: string; name?: string }>
  /** Only this operator sees it (Slack ephemeral); elsewhere a plain post. */
  recipient?: string
}

export type CardAction = 'claim' | 'resolve' | 'bot'

/** Something an operator did in a workspace, normalised. `eventId` is the ledger key. */
export interface OperatorEvent {
  eventId: string
  user: { externalId: string; name?: string }
  /** The thread it happened in; absent for a slash command. */
  threadId?: string
  message?: { externalId: string; text: string; attachments: AttachmentRef[] }
  edit?: { externalId: string; text: string }
  delete?: { externalId: string }
  action?: { name: CardAction; callbackId?: string }
  /** A slash command (`/sb 42 close`): answered in the request, not in a thread. */
  command?: { text: string }
}

export type WorkspaceWebhookResult =
  | { ok: true; events: OperatorEvent[]; challenge?: string }
  | { ok: false; status: 400 | 401; error: string }

/** A workspace's config is wrong; `field` names it (e.g. `config.chatId`). */
export { ChannelConfigError as WorkspaceConfigError } from '#channels/port'

export interface WorkspaceAdapter {
  readonly platform: WorkspacePlatform
  /** Posts per minute the platform allows in one thread's destination. */
  readonly postsPerMinute: number
  /** How many pending posts one platform message may carry (a burst merged). */
  readonly mergeLimit: number
  openThread(card: ThreadCard): Promise<ThreadRef>
  /** Posts in order; returns each post's platform id (merged posts share one). */
  post(thread: ThreadRef, posts: ThreadPost[]): Promise<string[]>
  updateCard(thread: ThreadRef, card: ThreadCard): Promise<void>
  /** Who an operator is, for linking by email. */
  lookupUser?(externalId: string): Promise<{ email?: string; name?: string } | undefined>
  /** Verify and normalise; no side effects beyond answering the platform. */
  handleWebhook?(req: RawRequest): Promise<WorkspaceWebhookResult>
  /** Answers a pressed card button so the platform stops its spinner. */
  answerAction?(callbackId: string, text?: string): Promise<void>
}

/**
 * A platform's workspace support. `prepare` checks a config against the
 * platform (the token works, the bot may post there) and completes it;
 * `linked` is the customer channel a Telegram workspace is served by.
 */
export interface WorkspaceFactory {
  platform: WorkspacePlatform
  secretFields: string[]
  prepare(
    config: Record<string, unknown>,
    linked?: { platform: string; config: Record<string, unknown> }
  ): Promise<Record<string, unknown>>
  create(
    workspaceId: number,
    config: Record<string, unknown>,
    linked?: { platform: string; config: Record<string, unknown> }
  ): WorkspaceAdapter
}

const factories = new Map<string, WorkspaceFactory>()

export function registerWorkspace(factory: WorkspaceFactory) {
  factories.set(factory.platform, factory)
}

export function workspaceFactory(platform: string): WorkspaceFactory | undefined {
  return factories.get(platform)
}
