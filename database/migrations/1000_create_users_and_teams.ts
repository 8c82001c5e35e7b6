import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.string('email', 254).notNullable()
      table.string('full_name', 200).nullable()
      table.string('password').notNullable()
      table
        .enum('role', ['admin', 'supervisor', 'operator'], {
          useNative: true,
          enumName: 'user_role',
        })
        .notNullable()
        .defaultTo('operator')
      // A disabled user is locked out at once: every request checks this.
      table.timestamp('disabled_at', { useTz: true }).nullable()
      table.timestamp('last_login_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    // Emails are compared case-insensitively.
    this.schema.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))')

    this.schema.createTable('teams', (table) => {
      table.increments('id')
      table.string('name', 100).notNullable()
      table.text('description').nullable()
      table.jsonb('settings').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw('CREATE UNIQUE INDEX teams_name_unique ON teams (lower(name))')

    this.schema.createTable('team_memberships', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.integer('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['team_id', 'user_id'])
      table.index(['user_id'])
    })

    // Platform user (a Slack member, a Telegram operator) ↔ Switchboard user.
    this.schema.createTable('operator_identities', (table) => {
      table.increments('id')
      table.integer('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.string('platform', 32).notNullable()
      table.string('external_id', 255).notNullable()
      table.string('display_name', 200).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['platform', 'external_id'])
      table.index(['user_id'])
    })

    this.schema.createTable('auth_access_tokens', (table) => {
      table.increments('id')
      table.integer('tokenable_id').notNullable().references('users.id').onDelete('CASCADE')
      table.string('type').notNullable()
      table.string('name').nullable()
      table.string('hash').notNullable()
      table.text('abilities').notNullable()
      table.timestamp('created_at', { useTz: true })
      table.timestamp('updated_at', { useTz: true })
      table.timestamp('last_used_at', { useTz: true }).nullable()
      table.timestamp('expires_at', { useTz: true }).nullable()
      table.index(['tokenable_id'])
    })

    this.schema.createTable('sessions', (table) => {
      table.string('id').primary()
      table.text('data').notNullable()
      table.string('user_id').nullable().index()
      table.timestamp('expires_at', { useTz: true }).notNullable().index()
    })

    this.schema.createTable('rate_limits', (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })
  }

  async down() {
    for (const t of [
      'rate_limits',
      'sessions',
      'auth_access_tokens',
      'operator_identities',
      'team_memberships',
      'teams',
      'users',
    ]) {
      this.schema.dropTableIfExists(t)
    }
    this.schema.raw('DROP TYPE IF EXISTS user_role')
  }
}
