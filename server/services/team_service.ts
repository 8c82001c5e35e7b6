import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import encryption from '@adonisjs/core/services/encryption'
import Team, { type TeamSettings } from '#models/team'
import type { TeamAssistantSettings } from '#assistant/settings'
import type User from '#models/user'
import { audit } from '#services/audit'
import { forgetTeams } from '#services/access'
import { inTransaction } from '#services/transactions'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export interface TeamInput {
  name?: string
  description?: string | null
  settings?: TeamSettings
}

/** Teams and their memberships, each change with its audit row. */
export default class TeamService {
  async create(
    actor: User | null,
    input: TeamInput & { name: string },
    ctx: HttpContext | null = null,
    outer?: TransactionClientContract
  ) {
    await this.assertNameFree(input.name)
    return inTransaction(outer, async (trx) => {
      const team = new Team()
      team.useTransaction(trx)
      team.merge({ name: input.name, description: input.description ?? null, settings: {} })
      this.applySettings(team, input.settings ?? {})
      await team.save()
      await team.refresh()
      await audit(
        ctx,
        {
          action: 'team.created',
          actorId: actor?.id,
          subjectType: 'team',
          subjectId: team.id,
          data: { name: team.name },
        },
        trx
      )
      return team
    })
  }

  async update(actor: User, team: Team, input: TeamInput, ctx: HttpContext) {
    if (input.name && input.name.toLowerCase() !== team.name.toLowerCase())
      await this.assertNameFree(input.name)
    return db.transaction(async (trx) => {
      team.useTransaction(trx)
      if (input.name !== undefined) team.name = input.name
      if (input.description !== undefined) team.description = input.description
      if (input.settings !== undefined) this.applySettings(team, input.settings)
      const dirty = Object.keys(team.$dirty)
      await team.save()
      if (dirty.length) {
        await audit(
          ctx,
          {
            action: 'team.updated',
            actorId: actor.id,
            subjectType: 'team',
            subjectId: team.id,
            data: { fields: dirty },
          },
          trx
        )
      }
      return team
    })
  }

  /** New settings merged over the old; the assistant's API key goes to its encrypted column. */
  protected applySettings(team: Team, settings: TeamSettings) {
    const { assistant, ...rest } = settings
    const next: TeamSettings = { ...team.settings, ...rest }
    if (assistant) {
      const { apiKey, ...options } = assistant as TeamAssistantSettings & {
        apiKey?: string | null
      }
      if (apiKey !== undefined) {
        team.assistantKeyEncrypted = apiKey ? encryption.encrypt(apiKey) : null
      }
      next.assistant = { ...team.settings?.assistant, ...options }
    }
    team.settings = next
  }

  async delete(actor: User, team: Team, ctx: HttpContext) {
    const channels = await db.from('channels').where('team_id', team.id).count('* as n').first()
    if (Number(channels?.n ?? 0) > 0) {
      throw new Exception('The team still has channels; move or delete them first', {
        status: 409,
        code: 'E_CONFLICT',
      })
    }
    await db.transaction(async (trx) => {
      await audit(
        ctx,
        {
          action: 'team.deleted',
          actorId: actor.id,
          subjectType: 'team',
          subjectId: team.id,
          data: { name: team.name },
        },
        trx
      )
      team.useTransaction(trx)
      await team.delete()
    })
  }

  async addMember(actor: User, team: Team, member: User, ctx: HttpContext) {
    if (actor.role !== 'admin' && member.role !== 'operator' && member.id !== actor.id) {
      throw new Exception('Only admins can add supervisors or admins to a team', {
        status: 403,
        code: 'E_FORBIDDEN',
      })
    }
    const created = await db.transaction(async (trx) => {
      const rows = await trx
        .insertQuery()
        .table('team_memberships')
        .insert({ team_id: team.id, user_id: member.id })
        .onConflict(['team_id', 'user_id'])
        .ignore()
        .returning('id')
      if (rows.length) {
        await audit(
          ctx,
          {
            action: 'team.member_added',
            actorId: actor.id,
            subjectType: 'team',
            subjectId: team.id,
            data: { userId: member.id },
          },
          trx
        )
      }
      return rows.length > 0
    })
    forgetTeams(member)
    return created
  }

  async removeMember(actor: User, team: Team, member: User, ctx: HttpContext) {
    if (actor.role !== 'admin' && member.role !== 'operator') {
      throw new Exception('Only admins can remove supervisors or admins from a team', {
        status: 403,
        code: 'E_FORBIDDEN',
      })
    }
    const removed = await db.transaction(async (trx) => {
      const count = await trx
        .from('team_memberships')
        .where({ team_id: team.id, user_id: member.id })
        .delete()
      if (count) {
        await audit(
          ctx,
          {
            action: 'team.member_removed',
            actorId: actor.id,
            subjectType: 'team',
            subjectId: team.id,
            data: { userId: member.id },
          },
          trx
        )
      }
      return Number(count) > 0
    })
    forgetTeams(member)
    return removed
  }

  protected async assertNameFree(name: string) {
    const taken = await Team.query().whereRaw('lower(name) = lower(?)', [name]).first()
    if (taken)
      throw new Exception('A team with this name already exists', {
        status: 409,
        code: 'E_CONFLICT',
      })
  }
}
