import type { HttpContext } from '@adonisjs/core/http'
import Channel from '#models/channel'
import { adapterOf } from '#messaging/channels'
import { ingest, StaleChannelError, type IngestResult } from '#messaging/ingest'
import OperatorWorkspace from '#models/operator_workspace'
import { workspaceAdapterOf } from '#operators/workspaces'
import { ingestOperatorEvent } from '#operators/ingest'

/**
 * Channel rows as this process last read them, by platform and id. Reading
 * the row again for every platform event would cost a query each; instead
 * ingest checks, in its transaction, that the row is unchanged and still
 * enabled, and anything short of success with a remembered row is redone
 * with a fresh one. Answers are the same as with a fresh read every time.
 */
const remembered = new Map<string, Channel>()

type Attempt =
  | { results: IngestResult[] }
  | { refuse: (response: HttpContext['response']) => void }
  | { stale: true }

/**
 * Inbound traffic from platforms and from API-channel apps. The adapter
 * verifies and normalises; the answer is 2xx only after the commit, and a
 * 5xx (database down) makes the sender retry. A rejected request stores
 * nothing.
 */
export default class WebhooksController {
  /** Verify, normalise and ingest with this row of the channel. */
  protected async attempt(
    { request }: HttpContext,
    channel: Channel | null,
    fromMemory: boolean
  ): Promise<Attempt> {
    const adapter = channel?.enabled ? adapterOf(channel) : undefined
    if (!channel || !adapter?.handleWebhook) {
      return {
        refuse: (response) =>
          response.notFound({
            errors: [{ field: 'id', rule: 'exists', message: 'No such channel, or it is stopped' }],
          }),
      }
    }
    const result = await adapter.handleWebhook({ headers: request.headers(), body: request.body() })
    if (!result.ok) {
      return {
        refuse: (response) =>
          response.status(result.status).send({
            errors: [
              {
                field: result.field ?? null,
                rule: result.rule ?? (result.status === 401 ? 'auth' : 'format'),
                message: result.error,
              },
            ],
          }),
      }
    }
    // A remembered row is checked against the database in the transaction.
    const target = fromMemory
      ? {
          id: channel.id,
          teamId: channel.teamId,
          platform: channel.platform,
          readAt: channel.updatedAt.toJSDate(),
        }
      : channel
    const results = []
    try {
      for (const envelope of result.envelopes) results.push(await ingest(target, envelope))
    } catch (error) {
      if (error instanceof StaleChannelError) return { stale: true }
      throw error
    }
    return { results }
  }

  /**
   * The ingest results, or null when the request was refused (the answer
   * is set). `missing` answers for a channel that does not exist.
   */
  protected async receive(
    ctx: HttpContext,
    platform: string,
    id: string,
    missing?: (response: HttpContext['response']) => void
  ): Promise<IngestResult[] | null> {
    const key = `${platform}:${id}`
    const known = remembered.get(key)
    if (known) {
      const attempt = await this.attempt(ctx, known, true)
      if ('results' in attempt) return attempt.results
    }
    const channel = await Channel.query().where({ id, platform }).first()
    if (channel) remembered.set(key, channel)
    else remembered.delete(key)
    const attempt =
      !channel && missing ? { refuse: missing } : await this.attempt(ctx, channel, false)
    if ('results' in attempt) return attempt.results
    if ('refuse' in attempt) attempt.refuse(ctx.response)
    return null
  }

  async telegram(ctx: HttpContext) {
    if (await this.receive(ctx, 'telegram', ctx.params.channelId)) return { ok: true }
  }

  /**
   * POST /webhooks/slack/:workspaceId: Events API, button presses and the
   * `/sb` slash command. 200 after the commit; a slash command's answer is
   * the response body, shown only to whoever typed it.
   */
  async slack({ params, request, response }: HttpContext) {
    const workspace = await OperatorWorkspace.query()
      .where({ id: params.workspaceId, platform: 'slack', enabled: true })
      .first()
    const adapter = workspace ? await workspaceAdapterOf(workspace) : undefined
    if (!workspace || !adapter?.handleWebhook) {
      return response.notFound({
        errors: [{ field: 'workspaceId', rule: 'exists', message: 'No such Slack workspace' }],
      })
    }
    const result = await adapter.handleWebhook({
      headers: request.headers(),
      body: request.body(),
      rawBody: request.raw() ?? '',
    })
    if (!result.ok) {
      return response.status(result.status).send({
        errors: [
          { field: null, rule: result.status === 401 ? 'auth' : 'format', message: result.error },
        ],
      })
    }
    if (result.challenge !== undefined) return { challenge: result.challenge }
    let feedback: string | undefined
    for (const event of result.events) {
      const outcome = await ingestOperatorEvent(workspace, adapter, event)
      if (event.command) feedback = outcome.feedback
    }
    if (feedback !== undefined) return { response_type: 'ephemeral', text: feedback }
    return response.ok('')
  }

  /** POST /api/v1/channels/:id/inbound: 202 when new, 200 for a repeat. */
  async apiInbound(ctx: HttpContext) {
    // A wrong id and a wrong key look the same: ids are not secrets, keys are.
    const results = await this.receive(ctx, 'api', ctx.params.id, (response) =>
      response.unauthorized({
        errors: [
          {
            field: null,
            rule: 'auth',
            message: 'Authorization: Bearer <inboundKey> does not match this channel',
          },
        ],
      })
    )
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
