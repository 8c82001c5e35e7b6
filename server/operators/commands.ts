/**
 * The operators' command grammar, shared by every operator platform (Slack threads, Telegram
 * forum topics). A plain message is a reply to the customer; `/word` or `!word` is a command.
 * `!` exists because Slack's composer swallows messages starting with `/`.
 */

export type OperatorCommand =
  | { name: 'assign'; target: 'me' | { handle: string } }
  | { name: 'unassign' }
  | { name: 'close'; afterMs?: number; message?: string }
  | { name: 'reopen' }
  | { name: 'snooze'; forMs: number }
  | { name: 'tag'; tags: string[] }
  | { name: 'untag'; tags: string[] }
  | { name: 'note'; text: string }
  | { name: 'bot' }
  | { name: 'contact' }
  | { name: 'history' }
  | { name: 'help' }

export type ParsedText =
  | { kind: 'reply'; text: string }
  | { kind: 'command'; command: OperatorCommand }
  | { kind: 'error'; message: string }

type Name = OperatorCommand['name']

const USAGE: Record<Name, { usage: string; example: string; description: string }> = {
  assign: {
    usage: '/assign me|@handle|email',
    example: '/assign me',
    description: 'Assign the conversation to yourself or to another operator',
  },
  unassign: {
    usage: '/unassign',
    example: '/unassign',
    description: 'Remove the assignee',
  },
  close: {
    usage: '/close [in <duration>] [message]',
    example: '/close in 2h Thanks, see you!',
    description: 'Close now or after a delay, optionally sending a last message',
  },
  reopen: { usage: '/reopen', example: '/reopen', description: 'Reopen the conversation' },
  snooze: {
    usage: '/snooze <duration>',
    example: '/snooze 2h',
    description: 'Put the conversation aside for a while',
  },
  tag: { usage: '/tag <tag>…', example: '/tag billing vip', description: 'Add tags' },
  untag: { usage: '/untag <tag>…', example: '/untag vip', description: 'Remove tags' },
  note: {
    usage: '/note <text>',
    example: '/note called back, waiting for the invoice',
    description: 'Add an internal note; the customer never sees it',
  },
  bot: { usage: '/bot', example: '/bot', description: 'Hand the conversation back to the bot' },
  contact: { usage: '/contact', example: '/contact', description: "Show the customer's details" },
  history: {
    usage: '/history',
    example: '/history',
    description: "Show the customer's earlier conversations",
  },
  help: { usage: '/help', example: '/help', description: 'List these commands' },
}

export const COMMANDS: Array<{ usage: string; description: string }> = Object.values(USAGE).map(
  ({ usage, description }) => ({ usage, description })
)

export function helpText(): string {
  return [
    'Commands (start with / or !):',
    ...COMMANDS.map((c) => `${c.usage} — ${c.description}`),
    'Durations: 30m, 2h, 1d, 1w, 1h30m, 2 hours (1 minute to 30 days).',
    'Anything else is sent to the customer.',
  ].join('\n')
}

const MINUTE = 60_000
const UNITS: Record<string, number> = {}
for (const [ms, names] of [
  [7 * 24 * 60 * MINUTE, ['w', 'wk', 'wks', 'week', 'weeks']],
  [24 * 60 * MINUTE, ['d', 'day', 'days']],
  [60 * MINUTE, ['h', 'hr', 'hrs', 'hour', 'hours']],
  [MINUTE, ['m', 'min', 'mins', 'minute', 'minutes']],
] as const) {
  for (const n of names) UNITS[n] = ms
}
export const MIN_DURATION = MINUTE
export const MAX_DURATION = 30 * 24 * 60 * MINUTE

/**
 * `30m`, `2h`, `1d`, `1w`, `1h30m`, `2 hours 30 minutes`: whole numbers, units from largest to
 * smallest, each once (so `30m1h` is more likely a typo than a wish). Seconds are not offered:
 * nothing an operator schedules is that short.
 */
export function parseDuration(text: string): number | undefined {
  const source = text.trim().toLowerCase()
  const part = /(\d{1,9})\s*([a-z]+)\s*/y
  let total = 0
  let lastUnit = Infinity
  let at = 0
  if (source === '') return undefined
  while (at < source.length) {
    part.lastIndex = at
    const m = part.exec(source)
    if (!m) return undefined
    const unit = UNITS[m[2]]
    if (unit === undefined || unit >= lastUnit) return undefined
    total += Number(m[1]) * unit
    lastUnit = unit
    at = part.lastIndex
  }
  return total >= MIN_DURATION && total <= MAX_DURATION ? total : undefined
}

/** A tag name, lower-cased: the one rule, shared with the REST API's validators. */
export const TAG_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_\-.:]{0,49}$/u
const MAX_TAGS = 20
const HANDLE = /^[\p{L}\p{N}._-]+$/u
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

interface Word {
  value: string
  start: number
}

function usageError(name: Name, why?: string): ParsedText {
  const { usage, example } = USAGE[name]
  const reason = why ? ` ${why}` : ''
  return {
    kind: 'error',
    message: `Usage: ${usage}, e.g. ${example}.${reason} Type /help for the list.`,
  }
}

function ok(command: OperatorCommand): ParsedText {
  return { kind: 'command', command }
}

function words(text: string): Word[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ value: m[0], start: m.index }))
}

function parseTags(name: 'tag' | 'untag', args: Word[]): ParsedText {
  if (args.length === 0) return usageError(name)
  const tags: string[] = []
  for (const { value } of args) {
    const tag = value.replace(/^#/, '').toLowerCase()
    if (!TAG_NAME.test(tag)) {
      return usageError(
        name,
        `"${value}" is not a valid tag: a letter or digit, then letters, digits, _ - . or :, up to 50 in all.`
      )
    }
    if (!tags.includes(tag)) tags.push(tag)
  }
  if (tags.length > MAX_TAGS) return usageError(name, `At most ${MAX_TAGS} tags at once.`)
  return ok({ name, tags })
}

function parseClose(rest: string, args: Word[]): ParsedText {
  if (args.length === 0) return ok({ name: 'close' })
  if (args[0].value.toLowerCase() !== 'in') return ok({ name: 'close', message: rest.trim() })
  // The longest run of words after `in` that reads as a duration (`2 hours 30 minutes`).
  for (let end = Math.min(args.length, 5); end > 1; end--) {
    const afterMs = parseDuration(
      args
        .slice(1, end)
        .map((w) => w.value)
        .join(' ')
    )
    if (afterMs === undefined) continue
    const message = end < args.length ? rest.slice(args[end].start).trim() : ''
    return ok(message ? { name: 'close', afterMs, message } : { name: 'close', afterMs })
  }
  return usageError('close', 'A duration is 1 minute to 30 days, like 30m, 2h or 1d.')
}

function parseArgs(name: Name, rest: string): ParsedText {
  const args = words(rest)
  switch (name) {
    case 'assign': {
      if (args.length !== 1) return usageError(name)
      const target = args[0].value
      if (target.toLowerCase() === 'me') return ok({ name, target: 'me' })
      if (target.startsWith('@') && HANDLE.test(target.slice(1))) {
        return ok({ name, target: { handle: target.slice(1) } })
      }
      if (EMAIL.test(target)) return ok({ name, target: { handle: target } })
      return usageError(name)
    }
    case 'close':
      return parseClose(rest, args)
    case 'snooze': {
      const duration = args[0]?.value.toLowerCase() === 'in' ? args.slice(1) : args
      const forMs = parseDuration(duration.map((w) => w.value).join(' '))
      if (forMs === undefined) {
        return usageError(name, 'A duration is 1 minute to 30 days, like 30m, 2h or 1d.')
      }
      return ok({ name, forMs })
    }
    case 'tag':
    case 'untag':
      return parseTags(name, args)
    case 'note': {
      const text = rest.trim()
      return text ? ok({ name, text }) : usageError(name)
    }
    case 'unassign':
    case 'reopen':
    case 'bot':
    case 'contact':
    case 'history':
    case 'help':
      return args.length === 0 ? ok({ name }) : usageError(name)
  }
}

/**
 * A prefix followed by a letter makes a command, so an unknown word is an error rather than a
 * reply: a mistyped command must never reach the customer. A prefix followed by anything else
 * (`!!!`, `/ hello`) is ordinary text.
 */
export function parseOperatorText(text: string): ParsedText {
  const head = /^\s*([/!])(\p{L}\S*)/u.exec(text)
  if (!head) return { kind: 'reply', text }
  const [whole, prefix, token] = head
  // Telegram appends the bot's username in groups: `/close@support_bot`.
  const at = token.indexOf('@')
  const word = at === -1 ? token : token.slice(0, at)
  const bot = at === -1 ? undefined : token.slice(at + 1)
  const name = word.toLowerCase()
  const badBot = bot !== undefined && !/^\w+$/.test(bot)
  if (!Object.hasOwn(USAGE, name) || badBot) {
    const typed = badBot ? token : word
    return { kind: 'error', message: `Unknown command ${prefix}${typed}. Type /help for the list.` }
  }
  return parseArgs(name as Name, text.slice(whole.length))
}
