import { Readable } from 'node:stream'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import Channel from '#models/channel'
import Conversation from '#models/conversation'
import Message from '#models/message'
import { adapterOf } from '#messaging/channels'
import { retryMessage } from '#messaging/outbox'
import { PermanentError } from '#channels/port'

/** A message's delivery (retry) and its files (fetched from the platform on demand). */
export default class DeliveryController {
  protected async message({ bouncer, params }: HttpContext, ability: 'view' | 'update') {
    const message = await Message.findOrFail(params.id)
    const conversation = await Conversation.findOrFail(message.conversationId)
    await bouncer.with('TeamRecordPolicy').authorize(ability, conversation)
    return { message, conversation }
  }

  async retry(ctx: HttpContext) {
    const { message, conversation } = await this.message(ctx, 'update')
    if (message.deliveryStatus !== 'failed') {
      throw new Exception('Only a failed message can be retried', { status: 409, code: 'E_STATE' })
    }
    await retryMessage(message.id, conversation)
    await message.refresh()
    return { data: message }
  }

  async attachment(ctx: HttpContext) {
    const { message } = await this.message(ctx, 'view')
    const attachment = message.attachments[ctx.params.index]
    if (!attachment) throw new Exception('No such attachment', { status: 404, code: 'E_NOT_FOUND' })
    const channel = message.channelId ? await Channel.find(message.channelId) : null
    const adapter = channel ? adapterOf(channel) : undefined
    if (!adapter?.fetchAttachment || !attachment.ref) {
      if (attachment.url) return ctx.response.redirect(attachment.url)
      throw new Exception('This attachment cannot be fetched', { status: 404, code: 'E_NOT_FOUND' })
    }
    try {
      const file = await adapter.fetchAttachment(attachment)
      if (file.mimeType) ctx.response.header('content-type', file.mimeType)
      if (file.size) ctx.response.header('content-length', String(file.size))
      ctx.response.header('cache-control', 'private, max-age=300')
      return Buffer.isBuffer(file.body)
        ? ctx.response.send(file.body)
        : ctx.response.stream(Readable.fromWeb(file.body as never))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Exception(`The platform did not return the file: ${reason}`, {
        status: error instanceof PermanentError ? 404 : 502,
        code: 'E_UPSTREAM',
      })
    }
  }
}
