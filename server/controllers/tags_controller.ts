import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import Tag from '#models/tag'
import { paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { assertTeamAllowed } from '#services/team_scope'
import { createTagValidator, listTagsValidator, updateTagValidator } from '#validators/tag'

const taken = () =>
  new Exception('This team already has a tag with this name', { status: 409, code: 'E_CONFLICT' })

/** A team's tag catalogue. Renaming or deleting a tag rewrites the conversations that carry it. */
export default class TagsController {
  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listTagsValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = Tag.query()
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.teamId) query.where('team_id', params.teamId)
    return paginate(query, params, 'name')
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createTagValidator)
    await bouncer.with('TeamRecordPolicy').authorize('create', input.teamId)
    await assertTeamAllowed(auth.getUserOrFail(), input.teamId)
    if (await Tag.query().where({ team_id: input.teamId, name: input.name }).first()) throw taken()
    response.status(201)
    const tag = await Tag.create(input)
    return { data: await tag.refresh() }
  }

  async show({ bouncer, params }: HttpContext) {
    const tag = await Tag.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('view', tag)
    return { data: tag }
  }

  async update({ bouncer, params, request }: HttpContext) {
    const tag = await Tag.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('update', tag)
    const input = await request.validateUsing(updateTagValidator)
    const oldName = tag.name
    if (input.name && input.name !== oldName) {
      if (await Tag.query().where({ team_id: tag.teamId, name: input.name }).first()) throw taken()
    }
    await db.transaction(async (trx) => {
      tag.useTransaction(trx)
      tag.merge(input)
      await tag.save()
      if (tag.name !== oldName) {
        await trx.rawQuery(
          `UPDATE conversations SET tags = array_replace(tags, ?, ?), updated_at = now()
           WHERE team_id = ? AND tags @> ARRAY[?]::text[]`,
          [oldName, tag.name, tag.teamId, oldName]
        )
      }
    })
    return { data: tag }
  }

  async destroy({ bouncer, params, response }: HttpContext) {
    const tag = await Tag.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('delete', tag)
    await db.transaction(async (trx) => {
      await trx.rawQuery(
        `UPDATE conversations SET tags = array_remove(tags, ?), updated_at = now()
         WHERE team_id = ? AND tags @> ARRAY[?]::text[]`,
        [tag.name, tag.teamId, tag.name]
      )
      tag.useTransaction(trx)
      await tag.delete()
    })
    return response.noContent()
  }
}
