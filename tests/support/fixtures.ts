import { randomUUID } from 'node:crypto'
import User, { type Role } from '#models/user'
import Team from '#models/team'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import Message from '#models/message'
import clock from '#services/clock'

export const PASSWORD = 'correct horse battery'

/**
 * A team whose assistant is off unless a test turns it on: the spine's
 * scenarios count the exact replies a customer gets.
 */
export async function makeTeam(
  name = `Team ${randomUUID().slice(0, 8)}`,
  settings: Team['settings'] = { assistant: { enabled: false } }
) {
  return Team.create({ name, settings })
}

export async function makeUser(role: Role, teams: Team[] = [], overrides: Partial<User> = {}) {
  const user = await User.create({
    email: `${role}-${randomUUID().slice(0, 8)}@example.com`,
    password: PASSWORD,
    role,
    ...overrides,
  })
  if (teams.length) await user.related('teams').attach(teams.map((t) => t.id))
  return user
}

/** A bearer token for API requests that need no CSRF dance. */
export async function tokenFor(user: User) {
  const token = await User.accessTokens.create(user)
  return token.value!.release()
}

export async function makeConversation(
  team: Team,
  fields: Partial<Conversation> = {},
  opts: { contactName?: string; messages?: string[] } = {}
) {
  const contact = await Contact.create({
    teamId: team.id,
    name: opts.contactName ?? 'Pat Customer',
    attributes: {},
  })
  const conversation = await Conversation.create({
    teamId: team.id,
    contactId: contact.id,
    lastMessageAt: clock.now(),
    tags: [],
    ...fields,
  })
  for (const body of opts.messages ?? []) {
    await Message.create({
      conversationId: conversation.id,
      direction: 'inbound',
      authorKind: 'contact',
      kind: 'text',
      body,
      attachments: [],
      metadata: {},
      deliveryStatus: 'received',
    })
  }
  return conversation
}
