import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import { makeConversation, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

/** Two teams, each with an operator and a supervisor, plus an admin. */
async function world() {
  const red = await makeTeam('Red')
  const blue = await makeTeam('Blue')
  const admin = await makeUser('admin')
  const redOperator = await makeUser('operator', [red])
  const redSupervisor = await makeUser('supervisor', [red])
  const blueOperator = await makeUser('operator', [blue])
  const redConversation = await makeConversation(red, {}, { contactName: 'Rita Red' })
  const blueConversation = await makeConversation(blue, {}, { contactName: 'Bob Blue' })
  return {
    red,
    blue,
    admin,
    redOperator,
    redSupervisor,
    blueOperator,
    redConversation,
    blueConversation,
  }
}

test.group('Access: operators', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an operator lists only their teams’ conversations and contacts', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.redOperator)
    const conversations = await client.get('/api/v1/conversations').bearerToken(token)
    conversations.assertStatus(200)
    assert.deepEqual(
      conversations.body().data.map((c: { id: number }) => c.id),
      [w.redConversation.id]
    )
    const contacts = await client.get('/api/v1/contacts').bearerToken(token)
    assert.deepEqual(
      contacts.body().data.map((c: { name: string }) => c.name),
      ['Rita Red']
    )
    // Asking for another team by filter yields nothing, not their data.
    const filtered = await client
      .get('/api/v1/conversations')
      .qs({ teamId: w.blue.id })
      .bearerToken(token)
    assert.equal(filtered.body().meta.total, 0)
  })

  test('another team’s conversation, contact and messages are a 404 for reads and writes', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.redOperator)
    const id = w.blueConversation.id
    ;(await client.get(`/api/v1/conversations/${id}`).bearerToken(token)).assertStatus(404)
    ;(
      await client
        .patch(`/api/v1/conversations/${id}`)
        .bearerToken(token)
        .json({ status: 'resolved' })
    ).assertStatus(404)
    ;(await client.get(`/api/v1/conversations/${id}/messages`).bearerToken(token)).assertStatus(404)
    ;(
      await client
        .post(`/api/v1/conversations/${id}/messages`)
        .bearerToken(token)
        .json({ text: 'hi' })
    ).assertStatus(404)
    ;(
      await client.get(`/api/v1/contacts/${w.blueConversation.contactId}`).bearerToken(token)
    ).assertStatus(404)
    await w.blueConversation.refresh()
    assert.equal(w.blueConversation.status, 'open')
  })

  test('an operator acts on their team’s conversation', async ({ client, assert }) => {
    const w = await world()
    const token = await tokenFor(w.redOperator)
    const response = await client
      .patch(`/api/v1/conversations/${w.redConversation.id}`)
      .bearerToken(token)
      .json({ status: 'pending', priority: 'high', assigneeId: w.redOperator.id })
    response.assertStatus(200)
    assert.include(response.body().data, {
      status: 'pending',
      priority: 'high',
      assigneeId: w.redOperator.id,
      owner: 'human',
    })
  })

  test('an operator cannot move a conversation into a team they are not in, nor assign outsiders', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.redOperator)
    const move = await client
      .patch(`/api/v1/conversations/${w.redConversation.id}`)
      .bearerToken(token)
      .json({ teamId: w.blue.id })
    move.assertStatus(422)
    assert.equal(move.body().errors[0].field, 'teamId')
    const assign = await client
      .patch(`/api/v1/conversations/${w.redConversation.id}`)
      .bearerToken(token)
      .json({ assigneeId: w.blueOperator.id })
    assign.assertStatus(422)
    assert.equal(assign.body().errors[0].field, 'assigneeId')
    await w.redConversation.refresh()
    assert.equal(w.redConversation.teamId, w.red.id)
    assert.isNull(w.redConversation.assigneeId)
  })

  test('an operator cannot create users or teams, nor raise their own role', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.redOperator)
    ;(
      await client
        .post('/api/v1/users')
        .bearerToken(token)
        .json({ email: 'x@example.com', password: 'password123' })
    ).assertStatus(403)
    ;(await client.post('/api/v1/teams').bearerToken(token).json({ name: 'Mine' })).assertStatus(
      403
    )
    const promote = await client
      .patch(`/api/v1/users/${w.redOperator.id}`)
      .bearerToken(token)
      .json({ role: 'admin' })
    promote.assertStatus(403)
    await w.redOperator.refresh()
    assert.equal(w.redOperator.role, 'operator')
  })

  test('an operator cannot read the audit log', async ({ client }) => {
    const w = await world()
    ;(
      await client.get('/api/v1/audit-logs').bearerToken(await tokenFor(w.redOperator))
    ).assertStatus(403)
    ;(
      await client.get('/api/v1/audit-logs').bearerToken(await tokenFor(w.redSupervisor))
    ).assertStatus(403)
  })

  test('a user in another team is a 404; a teammate is visible', async ({ client }) => {
    const w = await world()
    const token = await tokenFor(w.redOperator)
    ;(await client.get(`/api/v1/users/${w.blueOperator.id}`).bearerToken(token)).assertStatus(404)
    ;(await client.get(`/api/v1/users/${w.redSupervisor.id}`).bearerToken(token)).assertStatus(200)
  })
})

test.group('Access: supervisors', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a supervisor creates operators in their team, but not admins and not in other teams', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.redSupervisor)
    const ok = await client
      .post('/api/v1/users')
      .bearerToken(token)
      .json({ email: 'new.op@example.com', password: 'password123', teamIds: [w.red.id] })
    ok.assertStatus(201)
    assert.equal(ok.body().data.role, 'operator')
    assert.deepEqual(
      ok.body().data.teams.map((t: { id: number }) => t.id),
      [w.red.id]
    )

    const admin = await client
      .post('/api/v1/users')
      .bearerToken(token)
      .json({ email: 'sneaky@example.com', password: 'password123', role: 'admin' })
    admin.assertStatus(403)
    const elsewhere = await client
      .post('/api/v1/users')
      .bearerToken(token)
      .json({ email: 'elsewhere@example.com', password: 'password123', teamIds: [w.blue.id] })
    elsewhere.assertStatus(403)
    assert.isNull(await User.findBy('email', 'sneaky@example.com'))
    assert.isNull(await User.findBy('email', 'elsewhere@example.com'))
  })

  test('a supervisor manages their team’s members and settings, not another team’s', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.redSupervisor)
    const newcomer = await makeUser('operator')
    const add = await client
      .post(`/api/v1/teams/${w.red.id}/members`)
      .bearerToken(token)
      .json({ userId: newcomer.id })
    add.assertStatus(201)
    const again = await client
      .post(`/api/v1/teams/${w.red.id}/members`)
      .bearerToken(token)
      .json({ userId: newcomer.id })
    again.assertStatus(200)
    const members = await client.get(`/api/v1/teams/${w.red.id}/members`).bearerToken(token)
    for (const member of members.body().data) {
      assert.deepInclude(member.teams, { id: w.red.id, name: 'Red' })
    }
    assert.includeMembers(
      members.body().data.map((u: { id: number }) => u.id),
      [newcomer.id, w.redOperator.id]
    )

    ;(
      await client
        .patch(`/api/v1/teams/${w.red.id}`)
        .bearerToken(token)
        .json({ settings: { welcomeText: 'Hello!' } })
    ).assertStatus(200)
    ;(
      await client
        .patch(`/api/v1/teams/${w.blue.id}`)
        .bearerToken(token)
        .json({ name: 'Taken over' })
    ).assertStatus(404)
    ;(
      await client
        .post(`/api/v1/teams/${w.blue.id}/members`)
        .bearerToken(token)
        .json({ userId: newcomer.id })
    ).assertStatus(404)
    ;(await client.delete(`/api/v1/teams/${w.red.id}`).bearerToken(token)).assertStatus(403)

    const removed = await client
      .delete(`/api/v1/teams/${w.red.id}/members/${newcomer.id}`)
      .bearerToken(token)
    removed.assertStatus(204)
    const audit = await AuditLog.query().where('subject_id', String(w.red.id)).orderBy('id')
    assert.deepEqual(
      audit.map((a) => a.action),
      ['team.member_added', 'team.updated', 'team.member_removed']
    )
  })

  test('a supervisor cannot change another supervisor or an admin', async ({ client }) => {
    const w = await world()
    const peer = await makeUser('supervisor', [w.red])
    const token = await tokenFor(w.redSupervisor)
    ;(
      await client
        .patch(`/api/v1/users/${peer.id}`)
        .bearerToken(token)
        .json({ fullName: 'Renamed' })
    ).assertStatus(403)
    ;(await client.delete(`/api/v1/users/${peer.id}`).bearerToken(token)).assertStatus(403)
    ;(
      await client
        .patch(`/api/v1/users/${w.redOperator.id}`)
        .bearerToken(token)
        .json({ fullName: 'Renamed' })
    ).assertStatus(200)
  })

  test('a supervisor deletes their team’s conversation; an operator may not', async ({
    client,
  }) => {
    const w = await world()
    ;(
      await client
        .delete(`/api/v1/conversations/${w.redConversation.id}`)
        .bearerToken(await tokenFor(w.redOperator))
    ).assertStatus(403)
    ;(
      await client
        .delete(`/api/v1/conversations/${w.redConversation.id}`)
        .bearerToken(await tokenFor(w.redSupervisor))
    ).assertStatus(204)
  })
})

test.group('Access: admins', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an admin sees every team’s conversations and changes roles, with audit rows', async ({
    client,
    assert,
  }) => {
    const w = await world()
    const token = await tokenFor(w.admin)
    const list = await client.get('/api/v1/conversations').bearerToken(token)
    assert.includeMembers(
      list.body().data.map((c: { id: number }) => c.id),
      [w.redConversation.id, w.blueConversation.id]
    )

    const promote = await client
      .patch(`/api/v1/users/${w.redOperator.id}`)
      .bearerToken(token)
      .json({ role: 'supervisor' })
    promote.assertStatus(200)
    assert.equal(promote.body().data.role, 'supervisor')

    const logs = await client
      .get('/api/v1/audit-logs')
      .qs({ action: 'user.role_changed' })
      .bearerToken(token)
    logs.assertStatus(200)
    assert.equal(logs.body().data[0].subjectId, String(w.redOperator.id))
    assert.deepEqual(logs.body().data[0].data, { from: 'operator', to: 'supervisor' })
    assert.equal(logs.body().data[0].actorId, w.admin.id)
    assert.isString(logs.body().data[0].ip)
  })

  test('user and team creation and deletion are audited', async ({ client, assert }) => {
    const w = await world()
    const token = await tokenFor(w.admin)
    const team = await client.post('/api/v1/teams').bearerToken(token).json({ name: 'Green' })
    team.assertStatus(201)
    const user = await client
      .post('/api/v1/users')
      .bearerToken(token)
      .json({ email: 'g@example.com', password: 'password123', teamIds: [team.body().data.id] })
    user.assertStatus(201)
    ;(await client.delete(`/api/v1/users/${user.body().data.id}`).bearerToken(token)).assertStatus(
      204
    )
    ;(await client.delete(`/api/v1/teams/${team.body().data.id}`).bearerToken(token)).assertStatus(
      204
    )
    const actions = (await AuditLog.query().where('actor_id', w.admin.id).orderBy('id')).map(
      (a) => a.action
    )
    assert.deepEqual(actions, ['team.created', 'user.created', 'user.deleted', 'team.deleted'])
  })

  test('an admin cannot delete themselves or drop their own role', async ({ client }) => {
    const w = await world()
    const token = await tokenFor(w.admin)
    ;(await client.delete(`/api/v1/users/${w.admin.id}`).bearerToken(token)).assertStatus(403)
    ;(
      await client
        .patch(`/api/v1/users/${w.admin.id}`)
        .bearerToken(token)
        .json({ role: 'operator' })
    ).assertStatus(403)
  })

  test('duplicate emails and team names are a 409', async ({ client }) => {
    const w = await world()
    const token = await tokenFor(w.admin)
    ;(
      await client
        .post('/api/v1/users')
        .bearerToken(token)
        .json({ email: w.redOperator.email.toUpperCase(), password: 'password123' })
    ).assertStatus(409)
    ;(await client.post('/api/v1/teams').bearerToken(token).json({ name: 'red' })).assertStatus(409)
  })
})
