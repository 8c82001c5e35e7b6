import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import Conversation from '#models/conversation'
import Message from '#models/message'
import type User from '#models/user'
import ConversationService from '#services/conversation_service'
import { paginate } from '#services/listing'
import clock from '#services/clock'
import { publish } from '#messaging/live'
import {
  createMessageValidator,
  listMessagesValidator,
  updateMessageValidator,
} from '#validators/conversation'

/**
 * Only internal notes can be edited or removed here (customer-facing
 * messages are history), by their author or a supervisor/admin.
 */
function assertMayChangeNote(message: Message, user: User) {
  if (message.direction !== 'internal') {
    throw new Exception('Only internal notes can be edited or deleted', {
      status: 409,
      code: 'E_NOT_A_NOTE',
    })
  }
  if (message.authorUserId !== user.id && user.role === 'operator') {
    throw new Exception('Only the author or a supervisor can change this note', {
      status: 403,
      code: 'E_FORBIDDEN',
    })
  }
}

@inject()
export default class MessagesController {
  constructor(protected conversations: ConversationService) {}

  protected async conversation({ bouncer, params }: HttpContext, ability: 'view' | 'update') {
    const conversation = await Conversation.findOrFail(params.conversation_id)
    await bouncer.with('TeamRecordPolicy').authorize(ability, conversation)
    return conversation
  }

  protected async message(ctx: HttpContext, ability: 'view' | 'update') {
    const conversation = await this.conversation(ctx, ability)
    const message = await Message.query()
      .where({ id: ctx.params.id, conversation_id: conversation.id })
      .whereNull('deleted_at')
      .firstOrFail()
    return { conversation, message }
  }

  /** GET /conversations/:conversationId/messages, oldest first. */
  async index(ctx: HttpContext) {
    const conversation = await this.conversation(ctx, 'view')
    const params = await ctx.request.validateUsing(listMessagesValidator)
    const query = Message.query().where('conversation_id', conversation.id).whereNull('deleted_at')
    return paginate(query, params, 'id')
  }

  /** POST /conversations/:conversationId/messages {text?, attachments?, buttons?, format?, internal?} */
  async store(ctx: HttpContext) {
    const conversation = await this.conversation(ctx, 'update')
    const reply = await ctx.request.validateUsing(createMessageValidator)
    const message = await this.conversations.addOperatorMessage(
      ctx.auth.getUserOrFail(),
      conversation,
      reply
    )
    ctx.response.status(201)
    return { data: message }
  }

  async show(ctx: HttpContext) {
    const { message } = await this.message(ctx, 'view')
    return { data: message }
  }

  /** PATCH an internal note's text (its author, or a supervisor/admin). */
  async update(ctx: HttpContext) {
    const { conversation, message } = await this.message(ctx, 'update')
    assertMayChangeNote(message, ctx.auth.getUserOrFail())
    const { text } = await ctx.request.validateUsing(updateMessageValidator)
    message.body = text
    message.editedAt = clock.now()
    await message.save()
    this.published(conversation, message)
    return { data: message }
  }

  async destroy(ctx: HttpContext) {
    const { conversation, message } = await this.message(ctx, 'update')
    assertMayChangeNote(message, ctx.auth.getUserOrFail())
    message.deletedAt = clock.now()
    await message.save()
    this.published(conversation, message)
    return ctx.response.noContent()
  }

  /** Panels following the team see the note change (or go). */
  protected published(conversation: Conversation, message: Message) {
    publish(conversation.teamId, 'message.updated', {
      conversationId: conversation.id,
      messageId: message.id,
    })
  }
}
