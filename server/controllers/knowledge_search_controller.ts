import type { HttpContext } from '@adonisjs/core/http'
import KnowledgeCollection from '#models/knowledge_collection'
import { searchKnowledge } from '#knowledge/search'
import { memberTeamIds } from '#services/access'
import { invalidField } from '#services/team_scope'
import { searchKnowledgeValidator } from '#validators/knowledge'

/** What the assistant would find: ranked chunks with scores and highlighted snippets. */
export default class KnowledgeSearchController {
  async show({ auth, bouncer, request }: HttpContext) {
    const params = await request.validateUsing(searchKnowledgeValidator)
    let teamId = params.teamId
    let collectionIds: number[] | undefined
    if (params.collectionId) {
      const collection = await KnowledgeCollection.query()
        .where({ id: params.collectionId, kind: 'team' })
        .first()
      if (!collection || (teamId && collection.teamId !== teamId)) {
        throw invalidField('collectionId', 'exists', 'No such collection in this team')
      }
      teamId = collection.teamId
      collectionIds = [collection.id]
    }
    if (!teamId) {
      // Unambiguous for a member of one team; everyone else names it.
      const teams = await memberTeamIds(auth.getUserOrFail())
      if (teams.length !== 1) {
        throw invalidField('teamId', 'required', 'Name the team whose knowledge to search')
      }
      teamId = teams[0]
    }
    await bouncer.with('KnowledgePolicy').authorize('view', { teamId })
    const result = await searchKnowledge({
      query: params.q,
      teamId,
      collectionIds,
      limit: params.limit ?? 10,
      snippets: true,
    })
    return {
      data: result.hits,
      meta: { total: result.hits.length, terms: result.terms, tookMs: result.tookMs },
    }
  }
}
