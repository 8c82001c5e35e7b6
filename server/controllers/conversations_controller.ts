import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Conversation from '#models/conversation'
import ConversationService from '#services/conversation_service'
import { invalidField } from '#services/team_scope'
import clock from '#services/clock'
import {
  conversationTagsValidator,
  createConversationValidator,
  listConversationsValidator,
  updateConversationValidator,
} from '#validators/conversation'
import { tagName } from '#validators/common'
import vine from '@vinejs/vine'

const tagParam = vine.create({ params: vine.object({ tag: tagName() }) })

@inject()
export default class ConversationsController {
  constructor(protected conversations: ConversationService) {}

  /** The body arrives as JSON text, built by the database. */
  async index({ auth, request, response }: HttpContext) {
    const filters = await request.validateUsing(listConversationsValidator)
    const body = await this.conversations.list(auth.getUserOrFail(), filters)
    response.header('content-type', 'application/json; charset=utf-8')
    return response.send(body)
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createConversationValidator)
    await bouncer.with('TeamRecordPolicy').authorize('create', input.teamId)
    const conversation = await this.conversations.create(auth.getUserOrFail(), input)
    await conversation.load('contact')
    response.status(201)
    return { data: conversation }
  }

  async show({ bouncer, params }: HttpContext) {
    const conversation = await Conversation.query()
      .where('id', params.id)
      .preload('contact')
      .firstOrFail()
    await bouncer.with('TeamRecordPolicy').authorize('view', conversation)
    return { data: conversation }
  }

  async update({ auth, bouncer, params, request }: HttpContext) {
    const conversation = await Conversation.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('update', conversation)
    const changes = await request.validateUsing(updateConversationValidator)
    if (changes.status === 'snoozed') {
      if (!changes.snoozedUntil)
        throw invalidField('snoozedUntil', 'required', 'A snooze needs snoozedUntil')
      if (changes.snoozedUntil.getTime() <= clock.nowMs()) {
        throw invalidField('snoozedUntil', 'after', 'snoozedUntil must be in the future')
      }
    }
    await this.conversations.update(auth.getUserOrFail(), conversation, changes)
    await conversation.load('contact')
    return { data: conversation }
  }

  async destroy({ bouncer, params, response }: HttpContext) {
    const conversation = await Conversation.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('delete', conversation)
    await conversation.delete()
    return response.noContent()
  }

  /** POST /conversations/:id/tags {tags}: adds to the existing tags. */
  async addTags({ bouncer, params, request }: HttpContext) {
    const conversation = await Conversation.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('update', conversation)
    const { tags } = await request.validateUsing(conversationTagsValidator)
    await this.conversations.addTags(conversation, tags)
    return { data: { tags: conversation.tags } }
  }

  /** DELETE /conversations/:id/tags/:tag */
  async removeTag({ bouncer, params, request }: HttpContext) {
    const conversation = await Conversation.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('update', conversation)
    const { params: valid } = await request.validateUsing(tagParam)
    await this.conversations.removeTag(conversation, valid.tag)
    return { data: { tags: conversation.tags } }
  }
}
