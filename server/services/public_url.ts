import env from '#start/env'

/**
 * Where outsiders (Telegram, Slack, a company's app) reach this server:
 * `$PUBLIC_URL` + path, or the path alone when PUBLIC_URL is not set, so a
 * client can still prefix the address it used itself.
 */
export function publicLink(path: string): string {
  const base = env.get('PUBLIC_URL')?.replace(/\/$/, '')
  return base ? `${base}${path}` : path
}
