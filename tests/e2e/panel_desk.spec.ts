/*
| The panel as an admin uses it, in Chromium against the real server,
| database and worker: the dashboard, the live inbox and a reply reaching
| the customer's channel, a rule built in the form builder, a PDF found in
| the search playground, usage and the audit log. Screenshots of the main
| screens go to docs/screenshots/ for the README.
*/
import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import { startWorker, stopWorker } from '#messaging/worker'
import { makeConversation, makeTeam, makeUser, PASSWORD } from '#tests/support/fixtures'
import { PanelSession, panelBase, screenshot } from '#tests/support/panel'
import { pdfWithLines } from '#tests/support/pdf'
import { Receiver } from '#tests/support/receiver'
import { truncateNow } from '#tests/support/truncate'
import { until } from '#tests/support/wait'

const api = () => `http://${process.env.HOST}:${process.env.PORT}/api/v1`

/** What the API channel posted to the company's webhook: the texts sent to customers. */
function sentTexts(receiver: Receiver): string[] {
  return receiver.requests
    .map((r) => JSON.parse(r.body))
    .filter((event) => event.type === 'message.created')
    .map((event) => event.data.message.text as string)
}

/** Picks an option of an antd Select opened by clicking its test id. */
async function choose(page: Page, testId: string, title: string) {
  await page.getByTestId(testId).click()
  await page
    .locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`)
    .click()
}

test.group('Panel: an admin runs the desk', (group) => {
  const session = new PanelSession()
  const receiver = new Receiver()
  const state = {} as {
    page: Page
    adminEmail: string
    teamId: number
    teamName: string
    channelId: number
    inboundKey: string
    conversationId: number
    operatorPassword: string
  }

  /** A customer writes through the company's app (the API channel's inbound endpoint). */
  async function customerWrites(externalId: string, name: string, id: string, text: string) {
    const response = await fetch(`${api()}/channels/${state.channelId}/inbound`, {
      method: 'POST',
      headers: {
        'idempotency-key': `evt-${id}`,
        'content-type': 'application/json',
        'authorization': `Bearer ${state.inboundKey}`,
      },
      body: JSON.stringify({ contact: { externalId, name }, message: { id, text } }),
    })
    if (response.status >= 300)
      throw new Error(`inbound: ${response.status} ${await response.text()}`)
  }

  group.setup(async () => {
    await receiver.start()
    await startWorker()
    await session.start()
    const admin = await makeUser('admin', [], { fullName: 'Ada Admin' })
    state.adminEmail = admin.email
    // Seeded history for the dashboard.
    const seeded = await makeTeam('Seeded desk')
    await makeConversation(seeded, {}, { contactName: 'Sam Seed', messages: ['Hello there'] })
    const { page } = await session.open()
    state.page = page
    return async () => {
      await session.stop()
      await stopWorker()
      await receiver.stop()
      await truncateNow()
    }
  })

  group.each.teardown(() => {
    const errors = session.pageErrors(state.page)
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`)
  })

  test('the dashboard shows the KPIs and a chart for the seeded data', async ({ assert }) => {
    const { page } = state
    await session.signIn(page, state.adminEmail, PASSWORD)
    await page.getByTestId('kpi-open').waitFor()
    await page.getByTestId('chart-conversations').locator('svg').first().waitFor()
    assert.match(await page.getByTestId('kpi-open').innerText(), /\b1\b/)
    await screenshot(page, 'dashboard')
  })

  test('create a team, an operator in it and an API channel, from the panel', async ({
    assert,
  }) => {
    const { page } = state
    state.teamName = 'Parcel support'
    await page.goto(`${panelBase()}/teams/create`)
    await page.getByTestId('team-name').fill(state.teamName)
    await page.getByTestId('team-save').click()
    await page.waitForURL(/\/teams\/\d+$/)
    state.teamId = Number(page.url().match(/teams\/(\d+)$/)![1])

    await page.goto(`${panelBase()}/users/create`)
    await page.getByTestId('user-email').fill('olive@example.com')
    await page.getByTestId('user-name').fill('Olive Operator')
    await page.getByTestId('user-role-operator').click()
    await page.getByTestId('user-teams').click()
    await page.keyboard.type(state.teamName)
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await page.getByTestId('user-save').click()
    const shown = page.getByTestId('password-once-value')
    await shown.waitFor()
    state.operatorPassword = await shown.inputValue()
    assert.isAtLeast(state.operatorPassword.length, 8)
    await page.getByTestId('password-once-done').click()

    await page.goto(`${panelBase()}/channels/create?platform=api`)
    await page.getByTestId('channel-name').fill('Parcel app')
    await choose(page, 'channel-team', state.teamName)
    await page.getByTestId('channel-webhook-url').fill(receiver.url)
    await page.getByTestId('channel-save').click()
    await page.getByTestId('channel-created').waitFor()
    state.inboundKey = await page.getByTestId('channel-inbound-key').inputValue()
    const inboundUrl = await page.getByTestId('channel-inbound-url').inputValue()
    state.channelId = Number(inboundUrl.match(/channels\/(\d+)\/inbound/)![1])
    assert.match(state.inboundKey, /^sbk_/)
  })

  test('a customer message appears in the open inbox without reload; a reply reaches the customer, a note does not', async ({
    assert,
  }) => {
    const { page } = state
    await page.goto(`${panelBase()}/conversations`)
    await page
      .getByTestId('timeline')
      .or(page.getByText(/No conversations/i))
      .or(page.getByTestId('inbox-row'))
      .first()
      .waitFor()
    const loads: string[] = []
    page.on('framenavigated', (frame) => frame === page.mainFrame() && loads.push(frame.url()))

    await customerWrites('u-ana', 'Ana Lima', 'm-1', 'Hi, where is my parcel?')
    const row = page.getByTestId('inbox-row').filter({ hasText: 'Ana Lima' })
    await row.waitFor()
    assert.deepEqual(loads, [], 'the inbox updated without a reload')
    await screenshot(page, 'inbox')

    await row.getByRole('link', { name: 'Ana Lima' }).click()
    await page.getByTestId('conversation-page').waitFor()
    state.conversationId = Number(page.url().match(/conversations\/(\d+)/)![1])
    await page.getByTestId('message').filter({ hasText: 'where is my parcel' }).waitFor()

    const before = receiver.requests.length
    await page.getByTestId('reply-text').fill('It left our warehouse this morning.')
    await page.getByTestId('reply-send').click()
    await until(
      () => sentTexts(receiver).includes('It left our warehouse this morning.'),
      20_000,
      'the reply at the webhook'
    )
    await page
      .getByTestId('message')
      .filter({ hasText: 'It left our warehouse' })
      .getByTestId('delivery-state')
      .filter({ hasText: /sent/i })
      .waitFor()

    const afterReply = receiver.requests.length
    await page.getByTestId('note-toggle').click()
    await page.getByTestId('reply-text').fill('Customer seems worried, follow up tomorrow.')
    await page.getByTestId('reply-send').click()
    await page
      .locator('[data-testid="message"][data-look="note"]')
      .filter({ hasText: 'follow up tomorrow' })
      .waitFor()
    // Give a wrongly sent note the time a reply took to arrive.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    assert.equal(receiver.requests.length, afterReply, 'the note never reached the webhook')
    assert.isAbove(afterReply, before)
    assert.notInclude(sentTexts(receiver).join('\n'), 'follow up tomorrow')
    await screenshot(page, 'conversation')
  })

  test('a keyword rule built in the form fires on the next message; a message it misses is explained', async ({
    assert,
  }) => {
    const { page } = state
    await page.goto(`${panelBase()}/rules?teamId=${state.teamId}`)
    await page.getByTestId('rules-create').first().click()
    await page.getByTestId('rule-name').fill('Refund answer')
    // The team comes from the address (?teamId=).
    assert.include(await page.getByTestId('rule-team').innerText(), state.teamName)
    await page.getByTestId('add-condition-conditions').click()
    await page.getByTestId('condition-value-conditions.all.0').fill('refund')
    const text = page.getByTestId('action-0-text')
    // The action menu opens with an animation; a click during it can miss.
    await until(
      async () => {
        if (await text.isVisible()) return true
        await page.getByTestId('add-action').click()
        const picked = await page
          .getByTestId('add-action-send_message')
          .click({ timeout: 5000 })
          .then(
            () => true,
            () => false
          )
        if (!picked) {
          await page.keyboard.press('Escape')
          return false
        }
        return text.waitFor({ timeout: 5000 }).then(
          () => true,
          () => false
        )
      },
      30_000,
      'the send_message action form'
    )
    await text.fill('Refunds are paid back within 5 business days.')
    await screenshot(page, 'rule-builder', { fullPage: true })
    await page.getByTestId('rule-save').click()
    await page.waitForURL(/\/rules\/show\/\d+/)
    const ruleId = Number(page.url().match(/show\/(\d+)/)![1])

    // Dry run against the conversation from the inbox test: its message has no "refund".
    await page.getByTestId('dry-run-conversation').click()
    await page.keyboard.type(String(state.conversationId))
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click()
    await page.getByTestId('dry-run-submit').click()
    const outcome = page.getByTestId('dry-run-outcome')
    await outcome.waitFor()
    assert.notEqual(await outcome.getAttribute('data-outcome'), 'would_fire')
    assert.include(await page.getByTestId('dry-run-conditions').innerText(), 'refund')

    await customerWrites('u-ben', 'Ben Ode', 'm-2', 'Can I get a refund for my order?')
    await until(
      () => sentTexts(receiver).includes('Refunds are paid back within 5 business days.'),
      20_000,
      "the rule's reply at the webhook"
    )
    await customerWrites('u-cy', 'Cy Park', 'm-3', 'My parcel is late')
    await page.getByRole('tab', { name: 'Executions' }).click()
    const log = page.getByTestId('executions-table')
    await log.locator('[data-outcome="fired"]').first().waitFor()
    await until(
      async () => {
        await page.getByRole('tab', { name: 'Executions' }).click()
        return (await log.getByTestId('execution-failed-condition').count()) > 0
      },
      20_000,
      'the miss in the log'
    )
    assert.include(
      await log.getByTestId('execution-failed-condition').first().innerText(),
      'refund'
    )
    assert.isAbove(ruleId, 0)
  })

  test('an uploaded PDF is found in the search playground', async ({ assert }) => {
    const { page } = state
    await page.goto(`${panelBase()}/knowledge/collections`)
    await page.getByTestId('collection-create').first().click()
    await choose(page, 'collection-team', state.teamName)
    await page.getByTestId('collection-name').fill('Help centre')
    await page.locator('.ant-modal').getByRole('button', { name: 'Create' }).click()
    await page.locator('.ant-table-tbody').getByText('Help centre').waitFor()

    await page.goto(`${panelBase()}/knowledge/documents/new?tab=upload`)
    await choose(page, 'upload-collection', 'Help centre')
    const pdf = pdfWithLines([
      'Returns policy',
      'Unused items can be returned within 30 days of delivery.',
      'The courier collects parcels from your door free of charge.',
    ])
    await page
      .getByTestId('upload-dropzone')
      .locator('input[type=file]')
      .setInputFiles({ name: 'returns.pdf', mimeType: 'application/pdf', buffer: pdf })
    await page
      .locator('[data-testid="upload-item"][data-filename="returns.pdf"][data-status="done"]')
      .waitFor()

    await page.goto(`${panelBase()}/knowledge/search?teamId=${state.teamId}`)
    await page.getByTestId('search-query').fill('How long do I have to return an item?')
    await page.getByTestId('search-query').press('Enter')
    const hit = page.getByTestId('search-hit').first()
    await hit.waitFor()
    assert.include(await hit.innerText(), 'returned within 30 days')
    await screenshot(page, 'search-playground')
  })

  test('the usage page draws its chart', async () => {
    const { page } = state
    await page.goto(`${panelBase()}/usage`)
    await page.getByTestId('usage-chart').locator('svg').first().waitFor()
  })

  test("the operator created in the panel signs in, sees their team's conversations, and no Users or Audit log", async ({
    assert,
  }) => {
    const { page, context } = await session.open({ width: 390, height: 844 })
    await session.signIn(page, 'olive@example.com', state.operatorPassword, '/conversations')
    await page.getByTestId('inbox-row').filter({ hasText: 'Ana Lima' }).waitFor()
    assert.equal(await page.getByText('Seeded desk').count(), 0)
    await page.getByRole('button', { name: 'Open the menu' }).click()
    const menu = page.getByRole('menu', { name: 'Main menu' })
    await menu.getByText('Conversations').waitFor()
    assert.equal(await menu.getByText('Users', { exact: true }).count(), 0)
    assert.equal(await menu.getByText('Audit log').count(), 0)
    assert.deepEqual(session.pageErrors(page), [])
    await context.close()
  })

  test('the audit log lists what this admin did', async ({ assert }) => {
    const { page } = state
    await page.goto(`${panelBase()}/audit-logs`)
    const table = page.locator('.ant-table-tbody')
    await table.getByText('auth.login').first().waitFor()
    const text = await table.innerText()
    for (const action of ['team.created', 'user.created', 'channel.created', 'rule.created']) {
      assert.include(text, action)
    }
    assert.include(text, 'Ada Admin')
    await screenshot(page, 'audit-log')
  })
})
