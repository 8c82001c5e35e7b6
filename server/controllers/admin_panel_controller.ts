import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'

/** Where Vite writes the panel (`admin/dist`, built by `npm start` when stale). */
const DIST = app.makePath('admin', 'dist')

/*
| The panel's own policy: its scripts and styles come from this origin only;
| antd writes inline styles, so style-src allows them; images may be data or
| blob URLs (previews) besides our attachment proxy.
*/
const PANEL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Switchboard</title>
<p>The admin panel has not been built. <code>npm start</code> builds it; or run
<code>npm run build -w admin</code>.</p>`

export default class AdminPanelController {
  /** GET /admin and /admin/*: a built file, or index.html for the panel's own routes. */
  async show({ request, response }: HttpContext) {
    const rest = (request.param('*') as string[] | undefined)?.join('/') ?? ''
    const file = normalize(join(DIST, rest))
    // A path that climbs out of the build folder is simply not a file of ours.
    const inside = file === DIST || file.startsWith(DIST + sep)
    if (inside && rest && extname(rest)) {
      const info = await stat(file).catch(() => null)
      if (!info?.isFile()) return response.status(404).send({ errors: [{ message: 'Not found' }] })
      // Vite puts a content hash in every asset name: cache them for good.
      response.header(
        'cache-control',
        rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
      )
      return response.download(file, true)
    }
    const index = join(DIST, 'index.html')
    response.header('content-security-policy', PANEL_CSP)
    response.header('cache-control', 'no-cache')
    if (!existsSync(index)) return response.status(503).type('html').send(NOT_BUILT)
    response.type('html')
    return response.download(index, true)
  }
}
