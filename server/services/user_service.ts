import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import User, { type Role } from '#models/user'
import { audit } from '#services/audit'
import { canManageTeam } from '#services/access'
import clock from '#services/clock'
import { inTransaction } from '#services/transactions'
import { invalidField } from '#services/team_scope'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

const forbidden = (message: string) => new Exception(message, { status: 403, code: 'E_FORBIDDEN' })

export interface NewUser {
  email: string
  password: string
  fullName?: string | null
  role?: Role
  teamIds?: number[]
}

export interface UserChanges {
  email?: string
  password?: string
  fullName?: string | null
  role?: Role
  disabled?: boolean
}

/**
 * Account changes with their audit rows in one transaction. Callers have
 * passed the policy; this enforces what a body may set: only admins grant
 * roles above operator, and a supervisor places users only in teams they manage.
 */
export default class UserService {
  async create(
    actor: User | null,
    input: NewUser,
    ctx: HttpContext | null = null,
    outer?: TransactionClientContract
  ) {
    const role = input.role ?? 'operator'
    if (actor && actor.role !== 'admin' && role !== 'operator') {
      throw forbidden('Only admins can grant the admin or supervisor role')
    }
    const teamIds = input.teamIds ?? []
    if (actor) await this.assertManagesTeams(actor, teamIds)
    if (await User.findByEmail(input.email)) {
      throw new Exception('A user with this email already exists', {
        status: 409,
        code: 'E_CONFLICT',
      })
    }
    return inTransaction(outer, async (trx) => {
      const existing = await trx.from('teams').whereIn('id', teamIds).count('* as n').first()
      if (Number(existing?.n ?? 0) !== teamIds.length) {
        throw invalidField('teamIds', 'exists', 'Unknown team')
      }
      const user = await User.create(
        { email: input.email, password: input.password, fullName: input.fullName ?? null, role },
        { client: trx }
      )
      await user.refresh()
      if (teamIds.length) {
        await trx
          .table('team_memberships')
          .multiInsert(teamIds.map((teamId) => ({ team_id: teamId, user_id: user.id })))
      }
      await audit(
        ctx,
        {
          action: 'user.created',
          actorId: actor?.id,
          subjectType: 'user',
          subjectId: user.id,
          data: { email: user.email, role, teamIds },
        },
        trx
      )
      return user
    })
  }

  async update(actor: User, user: User, changes: UserChanges, ctx: HttpContext) {
    if (changes.role !== undefined && changes.role !== user.role) {
      if (actor.role !== 'admin') throw forbidden('Only admins can change roles')
      if (actor.id === user.id) throw forbidden('You cannot change your own role')
    }
    if (changes.disabled !== undefined && actor.id === user.id && changes.disabled) {
      throw forbidden('You cannot disable yourself')
    }
    if (changes.email && changes.email.toLowerCase() !== user.email.toLowerCase()) {
      const other = await User.findByEmail(changes.email)
      if (other)
        throw new Exception('A user with this email already exists', {
          status: 409,
          code: 'E_CONFLICT',
        })
    }

    return db.transaction(async (trx) => {
      user.useTransaction(trx)
      const before = { role: user.role, disabled: user.disabledAt !== null }
      if (changes.email !== undefined) user.email = changes.email
      if (changes.fullName !== undefined) user.fullName = changes.fullName
      if (changes.password !== undefined) user.password = changes.password
      if (changes.role !== undefined) user.role = changes.role
      if (changes.disabled !== undefined)
        user.disabledAt = changes.disabled ? (user.disabledAt ?? clock.now()) : null
      await user.save()

      if (before.role !== user.role) {
        await audit(
          ctx,
          {
            action: 'user.role_changed',
            actorId: actor.id,
            subjectType: 'user',
            subjectId: user.id,
            data: { from: before.role, to: user.role },
          },
          trx
        )
      }
      const disabled = user.disabledAt !== null
      if (before.disabled !== disabled) {
        await audit(
          ctx,
          {
            action: disabled ? 'user.disabled' : 'user.enabled',
            actorId: actor.id,
            subjectType: 'user',
            subjectId: user.id,
          },
          trx
        )
        // Disabling ends every way in: tokens are revoked, sessions deleted.
        if (disabled) {
          await trx.from('auth_access_tokens').where('tokenable_id', user.id).delete()
          await trx.from('sessions').where('user_id', String(user.id)).delete()
        }
      }
      if (changes.password !== undefined) {
        await audit(
          ctx,
          {
            action: 'user.password_changed',
            actorId: actor.id,
            subjectType: 'user',
            subjectId: user.id,
          },
          trx
        )
      }
      return user
    })
  }

  async delete(actor: User, user: User, ctx: HttpContext) {
    await db.transaction(async (trx) => {
      await audit(
        ctx,
        {
          action: 'user.deleted',
          actorId: actor.id,
          subjectType: 'user',
          subjectId: user.id,
          data: { email: user.email, role: user.role },
        },
        trx
      )
      user.useTransaction(trx)
      await user.delete()
    })
  }

  protected async assertManagesTeams(actor: User, teamIds: number[]) {
    for (const teamId of teamIds) {
      if (!(await canManageTeam(actor, teamId))) throw forbidden(`You do not manage team ${teamId}`)
    }
  }
}
