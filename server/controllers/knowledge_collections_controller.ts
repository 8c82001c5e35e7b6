import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import KnowledgeCollection from '#models/knowledge_collection'
import KnowledgeService from '#knowledge/knowledge_service'
import { paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { assertTeamAllowed } from '#services/team_scope'
import {
  createCollectionValidator,
  listCollectionsValidator,
  updateCollectionValidator,
} from '#validators/knowledge'

/** A team's knowledge collections. */
@inject()
export default class KnowledgeCollectionsController {
  constructor(protected knowledge: KnowledgeService) {}

  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listCollectionsValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = KnowledgeCollection.query().where('kind', 'team')
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.teamId) query.where('team_id', params.teamId)
    return paginate(query, params, 'name')
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createCollectionValidator)
    await assertTeamAllowed(auth.getUserOrFail(), input.teamId)
    await bouncer.with('KnowledgePolicy').authorize('manage', { teamId: input.teamId })
    const collection = await this.knowledge.createCollection(input)
    response.status(201)
    return { data: await collection.refresh() }
  }

  protected async find({ bouncer, params }: HttpContext, ability: 'view' | 'manage') {
    const collection = await KnowledgeCollection.query()
      .where({ id: params.id, kind: 'team' })
      .firstOrFail()
    await bouncer.with('KnowledgePolicy').authorize(ability, collection)
    return collection
  }

  async show(ctx: HttpContext) {
    return { data: await this.find(ctx, 'view') }
  }

  async update(ctx: HttpContext) {
    const collection = await this.find(ctx, 'manage')
    const input = await ctx.request.validateUsing(updateCollectionValidator)
    return { data: await this.knowledge.updateCollection(collection, input) }
  }

  async destroy(ctx: HttpContext) {
    await this.knowledge.deleteCollection(await this.find(ctx, 'manage'))
    return ctx.response.noContent()
  }
}
