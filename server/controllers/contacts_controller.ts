import type { HttpContext } from '@adonisjs/core/http'
import Contact from '#models/contact'
import { likePattern, paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { assertTeamAllowed } from '#services/team_scope'
import {
  createContactValidator,
  listContactsValidator,
  updateContactValidator,
} from '#validators/contact'

export default class ContactsController {
  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listContactsValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = Contact.query().preload('identities')
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.teamId) query.where('team_id', params.teamId)
    if (params.q) {
      const like = likePattern(params.q)
      query.where((q) =>
        q.whereILike('name', like).orWhereILike('email', like).orWhereILike('phone', like)
      )
    }
    return paginate(query, params, '-id')
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createContactValidator)
    await bouncer.with('TeamRecordPolicy').authorize('create', input.teamId)
    await assertTeamAllowed(auth.getUserOrFail(), input.teamId)
    const contact = await Contact.create({ ...input, attributes: input.attributes ?? {} })
    await contact.refresh()
    await contact.load('identities')
    response.status(201)
    return { data: contact }
  }

  async show({ bouncer, params }: HttpContext) {
    const contact = await Contact.query().where('id', params.id).preload('identities').firstOrFail()
    await bouncer.with('TeamRecordPolicy').authorize('view', contact)
    return { data: contact }
  }

  async update({ bouncer, params, request }: HttpContext) {
    const contact = await Contact.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('update', contact)
    const input = await request.validateUsing(updateContactValidator)
    contact.merge(input)
    await contact.save()
    await contact.load('identities')
    return { data: contact }
  }

  async destroy({ bouncer, params, response }: HttpContext) {
    const contact = await Contact.findOrFail(params.id)
    await bouncer.with('TeamRecordPolicy').authorize('delete', contact)
    await contact.delete()
    return response.noContent()
  }
}
