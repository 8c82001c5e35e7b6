import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, watchErrors } from '#tests/support/chromium'
import { PASSWORD } from '#tests/support/fixtures'

export const panelBase = () => `http://${process.env.HOST}:${process.env.PORT}/admin`

/**
 * One browser for a group of panel tests. Each person gets their own
 * context (cookies), and every page's uncaught errors are collected: the
 * group fails on any.
 */
export class PanelSession {
  browser?: Browser
  readonly errors: string[] = []

  async start() {
    this.browser = await launchChromium()
  }

  async stop() {
    await this.browser?.close()
  }

  async open(
    viewport = { width: 1280, height: 800 }
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser!.newContext({
      viewport,
      timezoneId: 'Europe/Berlin',
      locale: 'en-GB',
    })
    context.setDefaultTimeout(20_000)
    const page = await context.newPage()
    const errors = watchErrors(page)
    page.on('close', () => this.errors.push(...errors))
    // Errors are read at the end of each test too, so keep a live reference.
    ;(page as any).__errors = errors
    return { context, page }
  }

  /** Signs in through the login form and waits for the page behind it. */
  async signIn(page: Page, email: string, password = PASSWORD, path = '/') {
    await page.goto(panelBase() + path)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    const answers: string[] = []
    const record = (r: { url(): string; status(): number }) =>
      r.url().includes('/api/') && answers.push(`${r.status()} ${new URL(r.url()).pathname}`)
    page.on('response', record)
    await page.getByRole('button', { name: 'Sign in' }).click()
    try {
      await page.waitForURL((url) => !url.pathname.endsWith('/login'))
    } catch (error) {
      // Say what the API answered: a timeout alone tells nothing.
      throw new Error(`${email} could not sign in: ${answers.join(', ') || 'no API call'}`, {
        cause: error,
      })
    } finally {
      page.off('response', record)
    }
  }

  pageErrors(page: Page): string[] {
    return (page as any).__errors ?? []
  }
}

const SHOTS = () => app.makePath('docs', 'screenshots')

/** Saves a screenshot for the README, after the page settles. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  await mkdir(SHOTS(), { recursive: true })
  await page.waitForLoadState('networkidle').catch(() => undefined)
  // No open menu or chart tooltip from the last click in the picture.
  await page.keyboard.press('Escape')
  await page.mouse.move(1, 1)
  await page.evaluate(() => (globalThis as any).scrollTo(0, 0))
  await page.waitForTimeout(400)
  await page.screenshot({ path: `${SHOTS()}/${name}.png`, fullPage: opts.fullPage })
}
