import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { type DateTime } from 'luxon'
import type Team from '#models/team'
import type User from '#models/user'
import Contact from '#models/contact'
import ContactIdentity from '#models/contact_identity'
import Conversation from '#models/conversation'
import Message from '#models/message'
import clock from '#services/clock'
import { ensureTags } from '#operators/desk'
import { seedDemoKnowledge } from '#database/demo_knowledge'

interface DemoThread {
  contact: { name: string; email?: string; platform: string; externalId: string; username?: string }
  status: Conversation['status']
  owner: Conversation['owner']
  assigned?: boolean
  priority?: Conversation['priority']
  tags: string[]
  lines: Array<[author: 'contact' | 'bot' | 'operator', text: string]>
}

const THREADS: DemoThread[] = [
  {
    contact: {
      name: 'Alice Martin',
      platform: 'telegram',
      externalId: '100001',
      username: 'alice_m',
    },
    status: 'open',
    owner: 'bot',
    tags: ['billing'],
    lines: [
      ['contact', 'Hi, how do I change the card on my subscription?'],
      [
        'bot',
        'Open Settings → Billing → Payment method and choose "Replace card". Source: Billing FAQ',
      ],
    ],
  },
  {
    contact: { name: 'Bruno Costa', platform: 'whatsapp', externalId: '+351910000002' },
    status: 'open',
    owner: 'queued',
    priority: 'high',
    tags: ['refund', 'urgent'],
    lines: [
      ['contact', 'I was charged twice for order 4512, I want a refund.'],
      ['bot', 'I am handing you to a person who can look at your order.'],
    ],
  },
  {
    contact: {
      name: 'Chen Wei',
      platform: 'discord',
      externalId: '3000000000003',
      username: 'chenw',
    },
    status: 'pending',
    owner: 'human',
    assigned: true,
    tags: ['bug'],
    lines: [
      ['contact', 'The export button does nothing on Firefox.'],
      [
        'operator',
        'Thanks Chen, I reproduced it and filed it with our engineers. I will update you here.',
      ],
    ],
  },
  {
    contact: {
      name: 'Dana Levi',
      email: 'dana@example.org',
      platform: 'api',
      externalId: 'cust_0004',
    },
    status: 'resolved',
    owner: 'bot',
    tags: ['onboarding'],
    lines: [
      ['contact', 'Where can I find the API keys?'],
      ['bot', 'In the dashboard under Developers → API keys. Source: Getting started'],
      ['contact', 'Found them, thanks!'],
    ],
  },
]

/** A few contacts and conversations, so a fresh install has something to show. */
export async function seedDemo(trx: TransactionClientContract, team: Team, admin: User) {
  await seedDemoKnowledge(trx, team.id)
  const start = clock.now().minus({ hours: THREADS.length * 2 })
  for (const [index, thread] of THREADS.entries()) {
    const contact = await Contact.create(
      {
        teamId: team.id,
        name: thread.contact.name,
        email: thread.contact.email ?? null,
        attributes: { demo: true },
      },
      { client: trx }
    )
    await ContactIdentity.create(
      {
        teamId: team.id,
        contactId: contact.id,
        platform: thread.contact.platform,
        externalId: thread.contact.externalId,
        username: thread.contact.username ?? null,
      },
      { client: trx }
    )
    await ensureTags(trx, team.id, thread.tags)
    let at: DateTime = start.plus({ hours: index * 2 })
    const conversation = await Conversation.create(
      {
        teamId: team.id,
        contactId: contact.id,
        status: thread.status,
        owner: thread.owner,
        priority: thread.priority ?? 'normal',
        tags: thread.tags,
        assigneeId: thread.assigned ? admin.id : null,
        resolvedAt: thread.status === 'resolved' ? at.plus({ minutes: 30 }) : null,
        lastMessageAt: at,
        createdAt: at,
        messageCount: thread.lines.length,
        handoffReason: thread.owner === 'queued' ? 'The customer asked for a refund' : null,
      },
      { client: trx }
    )
    for (const [author, text] of thread.lines) {
      at = at.plus({ minutes: 3 })
      await Message.create(
        {
          conversationId: conversation.id,
          direction: author === 'contact' ? 'inbound' : 'outbound',
          authorKind: author,
          authorUserId: author === 'operator' ? admin.id : null,
          kind: 'text',
          body: text,
          attachments: [],
          metadata: {},
          deliveryStatus: author === 'contact' ? 'received' : 'sent',
          createdAt: at,
        },
        { client: trx }
      )
    }
    conversation.lastMessageAt = at
    if (thread.lines.some(([a]) => a === 'contact')) conversation.lastCustomerMessageAt = at
    await conversation.useTransaction(trx).save()
  }
}
