/*
| A team with a running Telegram channel (polling the fake Bot API) and an
| admin, as every operator-workspace scenario needs one.
*/
import { randomBytes } from 'node:crypto'
import type { FakeTelegram, FakeUser } from '#bots/testing/fake_telegram'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { until } from '#tests/support/wait'
import runner from '#messaging/runner'

let nextBotId = 800_000 + Math.floor(Math.random() * 100_000)
let nextUserId = 7_000_000 + Math.floor(Math.random() * 100_000)

export function person(name: string): FakeUser {
  return { id: nextUserId++, first_name: name }
}

export async function teamWithTelegram(client: any, fake: FakeTelegram) {
  const token = `${nextBotId++}:AA${randomBytes(24).toString('base64url')}`
  const me = fake.addBot(token, { username: `desk_${nextBotId}_bot` })
  const team = await makeTeam()
  const admin = await makeUser('admin')
  const adminToken = await tokenFor(admin)
  const bea = await makeUser('operator', [team], { fullName: 'Bea Silva' })
  const created = await client
    .post('/api/v1/channels')
    .bearerToken(adminToken)
    .json({
      platform: 'telegram',
      name: 'Shop bot',
      teamId: team.id,
      config: { token, mode: 'polling', apiRoot: fake.apiRoot },
    })
  created.assertStatus(201)
  const channel = created.body().data as { id: number }
  await runner.reconcile()
  await until(() => fake.callsOf('getUpdates').some((c) => c.token === token), 10_000, 'polling')
  const ana = person('Ana')
  fake.addChat(token, ana)
  return { token, me, team, admin, adminToken, bea, channel, ana }
}
