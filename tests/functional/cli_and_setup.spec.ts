import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import ace from '@adonisjs/core/services/ace'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Team from '#models/team'
import Conversation from '#models/conversation'
import SetupService from '#services/setup_service'
import { searchKnowledge } from '#knowledge/search'
import { assistantSettings } from '#assistant/settings'
import UsersCreate from '#commands/users_create'
import UsersResetPassword from '#commands/users_reset_password'
import { PASSWORD, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

/** The password printed by a command in raw mode. */
const printedPassword = (logs: Array<{ message: string }>) =>
  logs.map((l) => l.message.match(/Password: (\S+)/)?.[1]).find(Boolean)

test.group('First start', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('creates the admin, the Support team and demo data into an empty database, once', async ({
    assert,
    client,
  }) => {
    const first = await new SetupService().run({})
    assert.isTrue(first.created)
    assert.equal(first.email, 'admin@example.com')
    assert.isString(first.generatedPassword)
    const admin = await User.findByOrFail('email', 'admin@example.com')
    assert.equal(admin.role, 'admin')
    assert.notEqual(admin.password, first.generatedPassword, 'stored hashed')
    const support = await Team.findByOrFail('name', 'Support')
    assert.isAbove((await Conversation.query().where('team_id', support.id)).length, 0)
    // A demo help centre, confident enough for the assistant to answer without a model.
    const found = await searchKnowledge({
      query: 'How do I change the card on my subscription?',
      teamId: support.id,
    })
    assert.equal(found.hits[0].title, 'Billing FAQ')
    assert.equal(found.hits[0].heading, 'Changing the card on a subscription')
    assert.isAtLeast(found.hits[0].confidence, assistantSettings({ settings: {} }).threshold)

    // The printed credentials log in.
    const login = await client
      .post('/api/v1/auth/login')
      .json({ email: first.email, password: first.generatedPassword })
    login.assertStatus(200)
    assert.deepEqual(
      login.body().data.teams.map((t: { name: string }) => t.name),
      ['Support']
    )

    const second = await new SetupService().run({ password: 'another password' })
    assert.isFalse(second.created)
    assert.lengthOf(await User.all(), 1)
  })

  test('uses ADMIN_EMAIL / ADMIN_PASSWORD when given, and demo data can be skipped', async ({
    assert,
  }) => {
    const result = await new SetupService().run({
      email: 'boss@acme.test',
      password: 'a-long-password',
      demo: false,
    })
    assert.isUndefined(result.generatedPassword)
    const admin = await User.findByOrFail('email', 'boss@acme.test')
    assert.isTrue(await hash.verify(admin.password, 'a-long-password'))
    assert.lengthOf(await Conversation.all(), 0)
  })

  test('does nothing to a database that already has users', async ({ assert }) => {
    await makeUser('operator')
    const result = await new SetupService().run({})
    assert.isFalse(result.created)
    assert.isNull(await Team.findBy('name', 'Support'))
  })
})

test.group('CLI: users', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('users:create makes a user in the named team and prints a generated password once', async ({
    assert,
    client,
  }) => {
    const team = await makeTeam('Night Shift')
    const command = await ace.create(UsersCreate, [
      '--email=Night.Owl@example.com',
      '--role=supervisor',
      '--team=night shift',
    ])
    await command.exec()
    command.assertSucceeded()
    const user = await User.findByOrFail('email', 'night.owl@example.com')
    assert.equal(user.role, 'supervisor')
    const teams = await db.from('team_memberships').where('user_id', user.id).select('team_id')
    assert.deepEqual(
      teams.map((t) => t.team_id),
      [team.id]
    )
    const password = printedPassword(command.ui.logger.getLogs())
    assert.isString(password)
    ;(
      await client.post('/api/v1/auth/login').json({ email: 'night.owl@example.com', password })
    ).assertStatus(200)
  })

  test('users:create refuses a bad role, an unknown team and a duplicate email', async ({
    assert,
  }) => {
    const existing = await makeUser('operator')
    for (const args of [
      ['--email=a@example.com', '--role=king'],
      ['--email=b@example.com', '--team=Nowhere'],
      [`--email=${existing.email}`],
      ['--email=not-an-email'],
    ]) {
      const command = await ace.create(UsersCreate, args)
      await command.exec()
      command.assertFailed()
    }
    assert.lengthOf(await User.all(), 1)
  })

  test('users:reset-password sets a new password and revokes old tokens', async ({ client }) => {
    const user = await makeUser('operator')
    const token = await tokenFor(user)
    const command = await ace.create(UsersResetPassword, [
      `--email=${user.email}`,
      '--password=brand-new-secret',
    ])
    await command.exec()
    command.assertSucceeded()
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(401)
    ;(
      await client.post('/api/v1/auth/login').json({ email: user.email, password: PASSWORD })
    ).assertStatus(401)
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: 'brand-new-secret' })
    ).assertStatus(200)

    const missing = await ace.create(UsersResetPassword, ['--email=ghost@example.com'])
    await missing.exec()
    missing.assertFailed()
    missing.assertLogMatches(/No user with email ghost@example.com/)
  })
})
