import { test } from '@japa/runner'
import { makeConversation, makeTeam, makeUser, PASSWORD } from '#tests/support/fixtures'
import { PanelSession, panelBase } from '#tests/support/panel'
import { truncateNow } from '#tests/support/truncate'

test.group('Panel: signing in and out, roles, CSRF', (group) => {
  const session = new PanelSession()
  group.setup(async () => {
    await session.start()
    return async () => {
      await session.stop()
      await truncateNow()
    }
  })

  test('a wrong password stays on the form with an error; the right one opens the page asked for', async ({
    assert,
  }) => {
    const admin = await makeUser('admin')
    const { page, context } = await session.open()
    await page.goto(`${panelBase()}/conversations`)
    await page.waitForURL(/\/admin\/login\?to=%2Fconversations/)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.locator('#root').getByRole('alert')
    await alert.waitFor()
    assert.include(await alert.innerText(), 'Sign-in failed')
    assert.match(page.url(), /\/admin\/login/)

    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${panelBase()}/conversations`)
    assert.deepEqual(session.pageErrors(page), [])
    await context.close()
  })

  test('after five wrong passwords the form says how long to wait', async ({ assert }) => {
    const admin = await makeUser('admin')
    const { page, context } = await session.open()
    await page.goto(`${panelBase()}/login`)
    await page.getByLabel('Email').fill(admin.email)
    const alert = page.locator('#root').getByRole('alert')
    for (let attempt = 1; attempt <= 6; attempt++) {
      await page.getByLabel('Password').fill(`wrong ${attempt}`)
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ])
    }
    await alert.filter({ hasText: 'Try again in' }).waitFor()
    const text = await alert.innerText()
    assert.include(text, 'Too many attempts')
    assert.match(text, /Try again in 1[45] minutes/)
    assert.match(page.url(), /\/admin\/login/)
    await context.close()
  })

  test('signing out ends the session on the server', async ({ assert }) => {
    const admin = await makeUser('admin')
    const { page, context } = await session.open()
    await session.signIn(page, admin.email)
    const before = await page.evaluate(async () => (await fetch('/api/v1/me')).status)
    assert.equal(before, 200)
    const cookies = await context.cookies()

    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByText('Sign out').click()
    await page.waitForURL(/\/admin\/login/)
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401)

    // The old session cookie, replayed, no longer signs anyone in.
    const replay = await session.browser!.newContext()
    await replay.addCookies(cookies)
    const replayed = await replay.request.get(`${panelBase().replace('/admin', '')}/api/v1/me`)
    assert.equal(replayed.status(), 401)
    await replay.close()
    assert.deepEqual(session.pageErrors(page), [])
    await context.close()
  })

  test('a session lost while working returns to the login page, then to the page', async ({
    assert,
  }) => {
    const admin = await makeUser('admin')
    const { page, context } = await session.open()
    await session.signIn(page, admin.email, PASSWORD, '/contacts')
    await page.waitForURL(`${panelBase()}/contacts`)
    // The session ends on the server's side (expired, revoked): the cookies are gone.
    await context.clearCookies()
    await page.getByRole('menu', { name: 'Main menu' }).getByText('Tags').click()
    await page.waitForURL(/\/admin\/login\?to=%2Ftags/)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/admin\/tags(\?|$)/)
    assert.deepEqual(session.pageErrors(page), [])
    await context.close()
  })

  test('a cookie-authenticated write without the XSRF header is refused', async ({ assert }) => {
    const admin = await makeUser('admin')
    const team = await makeTeam()
    const { page, context } = await session.open()
    await session.signIn(page, admin.email)
    const statuses = await page.evaluate(async (teamId) => {
      const body = JSON.stringify({ name: 'vip', teamId })
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      const without = await fetch('/api/v1/tags', { method: 'POST', headers, body })
      const token = decodeURIComponent(
        (globalThis as any).document.cookie.match(/XSRF-TOKEN=([^;]+)/)![1]
      )
      const withToken = await fetch('/api/v1/tags', {
        method: 'POST',
        headers: { ...headers, 'x-xsrf-token': token },
        body,
      })
      return [without.status, withToken.status]
    }, team.id)
    assert.deepEqual(statuses, [403, 201])
    await context.close()
  })

  test("an operator sees no Users or Audit log, and another team's conversation is not found", async ({
    assert,
  }) => {
    const mine = await makeTeam()
    const theirs = await makeTeam()
    const operator = await makeUser('operator', [mine])
    const foreign = await makeConversation(theirs, {}, { messages: ['private'] })
    const { page, context } = await session.open()
    await session.signIn(page, operator.email)
    const menu = page.locator('.ant-layout-sider')
    await menu.getByText('Conversations').waitFor()
    assert.equal(await menu.getByText('Users', { exact: true }).count(), 0)
    assert.equal(await menu.getByText('Audit log').count(), 0)

    await page.goto(`${panelBase()}/conversations/${foreign.id}`)
    await page
      .getByText(/not found|does not exist/i)
      .first()
      .waitFor()
    assert.notInclude(await page.content(), 'private')
    assert.deepEqual(session.pageErrors(page), [])
    await context.close()
  })
})
