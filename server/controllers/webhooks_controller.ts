import type { HttpContext } from '@adonisjs/core/http'
import Channel from '#models/channel'
import { adapterOf } from '#messaging/channels'
import { ingest } from '#messaging/ingest'

/**
 * Inbound traffic from platforms and from API-channel apps. The adapter
 * verifies and normalises; the answer is 2xx only after the commit, and a
 * 5xx (database down) makes the sender retry. A rejected request stores
 * nothing.
 */
export default class WebhooksController {
  protected async receive({ request, response }: HttpContext, channel: Channel | null) {
    if (!channel?.enabled) {
      return response.notFound({
        errors: [{ field: 'id', rule: 'exists', message: 'No such channel, or it is stopped' }],
      })
    }
    const adapter = adapterOf(channel)
    if (!adapter.handleWebhook) return response.notFound()
    const result = await adapter.handleWebhook({ headers: request.headers(), body: request.body() })
    if (!result.ok) {
      return response.status(result.status).send({
        errors: [
          {
            field: result.field ?? null,
            rule: result.rule ?? (result.status === 401 ? 'auth' : 'format'),
            message: result.error,
          },
        ],
      })
    }
    const results = []
    for (const envelope of result.envelopes) results.push(await ingest(channel, envelope))
    return { results }
  }

  async telegram(ctx: HttpContext) {
    const channel = await Channel.query()
      .where({ id: ctx.params.channelId, platform: 'telegram' })
      .first()
    const answer = await this.receive(ctx, channel)
    return answer && 'results' in answer ? { ok: true } : answer
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
    const answer = await this.receive(ctx, channel)
    if (!answer || !('results' in answer)) return answer
    const [result] = answer.results
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
