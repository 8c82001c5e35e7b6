/*
| The admin panel is a Vite build in admin/dist. `npm start` and `npm test`
| build it when it is missing or older than any of its sources, so a fresh
| clone serves a working panel with no extra command.
*/
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ADMIN = fileURLToPath(new URL('../admin/', import.meta.url))
const BUILT = join(ADMIN, 'dist', 'index.html')
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json']

async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let latest = info.mtimeMs
  for (const entry of await readdir(path)) {
    latest = Math.max(latest, await newest(join(path, entry)))
  }
  return latest
}

/** Why the panel needs a build, or null when admin/dist is current. */
export async function panelBuildReason(): Promise<string | null> {
  if (!existsSync(BUILT)) return 'admin/dist is missing'
  const { mtimeMs: built } = await stat(BUILT)
  let sources = 0
  for (const source of SOURCES) sources = Math.max(sources, await newest(join(ADMIN, source)))
  return sources > built ? 'its sources changed since the last build' : null
}

/** Runs `vite build` in admin/ with this Node; resolves with its exit code. */
export function buildPanel(opts: { quiet?: boolean } = {}): Promise<number> {
  let vite: string
  try {
    const manifest = createRequire(join(ADMIN, 'package.json')).resolve('vite/package.json')
    vite = join(dirname(manifest), 'bin', 'vite.js')
  } catch {
    console.error('Vite is not installed: run `npm install` first.')
    return Promise.resolve(1)
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: ADMIN,
      stdio: opts.quiet ? 'ignore' : 'inherit',
    })
    child.on('error', () => resolve(1))
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

/** Build when needed, saying so; returns false when a needed build failed. */
export async function ensurePanelBuild(): Promise<boolean> {
  const reason = await panelBuildReason()
  if (!reason) return true
  console.log(`Building the admin panel (${reason})…`)
  const started = Date.now()
  const code = await buildPanel()
  if (code !== 0) {
    console.error('The admin panel failed to build; /admin will say so.')
    return false
  }
  console.log(`Admin panel built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return true
}
