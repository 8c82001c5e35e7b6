import type { HttpContext } from '@adonisjs/core/http'
import Channel from '#models/channel'
import { adapterOf } from '#messaging/channels'
import { ingest, type IngestResult } from '#messaging/ingest'

/**
 * Inbound traffic from platforms and from API-channel apps. The adapter
 * verifies and normalises; the answer is 2xx only after the commit, and a
 * 5xx (database down) makes the sender retry. A rejected request stores
 * nothing.
 */
export default class WebhooksController {
  /** The ingest results, or null when the request was refused (the answer is set). */
  protected async receive(
    { request, response }: HttpContext,
    channel: Channel | null
  ): Promise<IngestResult[] | null> {
    const adapter = channel?.enabled ? adapterOf(channel) : undefined
    if (!channel || !adapter?.handleWebhook) {
      response.notFound({
        errors: [{ field: 'id', rule: 'exists', message: 'No such channel, or it is stopped' }],
      })
      return null
    }
    const result = await adapter.handleWebhook({ headers: request.headers(), body: request.body() })
    if (!result.ok) {
      response.status(result.status).send({
        errors: [
          {
            field: result.field ?? null,
            rule: result.rule ?? (result.status === 401 ? 'auth' : 'format'),
            message: result.error,
          },
        ],
      })
      return null
    }
    const results = []
    for (const envelope of result.envelopes) results.push(await ingest(channel, envelope))
    return results
  }

  async telegram(ctx: HttpContext) {
    const channel = await Channel.query()
      .where({ id: ctx.params.channelId, platform: 'telegram' })
      .first()
    if (await this.receive(ctx, channel)) return { ok: true }
  }

  /** POST /api/v1/channels/:id/inbound: 202 when new, 200 for a repeat. */
  async apiInbound(ctx: HttpContext) {
    const channel = await Channel.query().where({ id: ctx.params.id, platform: 'api' }).first()
    // A wrong id and a wrong key look the same: ids are not secrets, keys are.
    if (!channel) {
      return ctx.response.unauthorized({
        errors: [
          {
            field: null,
            rule: 'auth',
            message: 'Authorization: Bearer <inboundKey> does not match this channel',
          },
        ],
      })
    }
    const results = await this.receive(ctx, channel)
    if (!results) return
    const [result] = results
    ctx.response.status(result.duplicate ? 200 : 202)
    return {
      data: {
        duplicate: result.duplicate,
        conversationId: result.conversationId ?? null,
        messageId: result.messageId ?? null,
      },
    }
  }
}
