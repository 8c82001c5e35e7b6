import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Supported files under a path, in a stable order. */
async function filesUnder(root: string, isSupported: (name: string) => boolean) {
  const info = await stat(root)
  if (info.isFile()) return [root]
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && isSupported(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

export default class KbImport extends BaseCommand {
  static commandName = 'kb:import'
  static description =
    "Import Markdown, HTML, text and PDF files into a team's knowledge (again: updates changed files)"
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'A file or a directory (searched recursively)' })
  declare path: string

  @flags.string({ description: 'Team name or id', required: true })
  declare team: string

  @flags.string({ description: 'Collection name (created when missing)', default: 'General' })
  declare collection: string

  async run() {
    const { default: cliProgress } = await import('cli-progress')
    const { default: Team } = await import('#models/team')
    const { default: KnowledgeCollection } = await import('#models/knowledge_collection')
    const { default: KnowledgeService } = await import('#knowledge/knowledge_service')
    const { formatOfFilename } = await import('#knowledge/extract')

    const team = /^\d+$/.test(this.team)
      ? await Team.find(Number(this.team))
      : await Team.query().whereRaw('lower(name) = lower(?)', [this.team]).first()
    if (!team) return this.fail(`No team named "${this.team}"`)

    const root = resolve(this.path)
    let files: string[]
    try {
      files = await filesUnder(root, (name) => !!formatOfFilename(name))
    } catch {
      return this.fail(`No such file or directory: ${this.path}`)
    }
    if (!files.length) return this.fail(`No Markdown, HTML, text or PDF files in ${this.path}`)

    const service = new KnowledgeService()
    const collection =
      (await KnowledgeCollection.query()
        .where({ team_id: team.id, name: this.collection, kind: 'team' })
        .first()) ?? (await service.createCollection({ teamId: team.id, name: this.collection }))

    const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 }
    const failures: string[] = []
    const bar = new cliProgress.SingleBar(
      { format: ' {bar} {value}/{total} files | {file}', hideCursor: true },
      cliProgress.Presets.shades_classic
    )
    bar.start(files.length, 0, { file: '' })
    const info = await stat(root)
    const base = info.isFile() ? resolve(root, '..') : root
    for (const file of files) {
      const name = relative(base, file)
      bar.update({ file: name })
      try {
        const { outcome } = await service.saveDocument({
          collectionId: collection.id,
          format: formatOfFilename(file)!,
          body: await readFile(file),
          source: 'file',
          filename: basename(file),
          externalId: `file:${name}`,
        })
        counts[outcome]++
      } catch (error) {
        counts.failed++
        failures.push(`${name}: ${(error as Error).message}`)
      }
      bar.increment()
    }
    bar.stop()
    for (const failure of failures) this.logger.error(failure)
    this.logger.success(
      `${team.name} / ${collection.name}: ${counts.created} added, ${counts.updated} updated, ` +
        `${counts.unchanged} unchanged, ${counts.failed} failed`
    )
    if (counts.failed) this.exitCode = 1
  }

  protected fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
