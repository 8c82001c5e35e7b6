import { test } from '@japa/runner'
import {
  COMMANDS,
  helpText,
  parseDuration,
  parseOperatorText,
  type OperatorCommand,
} from '#operators/commands'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

function commandOf(text: string): OperatorCommand {
  const parsed = parseOperatorText(text)
  if (parsed.kind !== 'command') throw new Error(`${JSON.stringify(text)} gave ${parsed.kind}`)
  return parsed.command
}

function errorOf(text: string): string {
  const parsed = parseOperatorText(text)
  if (parsed.kind !== 'error') throw new Error(`${JSON.stringify(text)} gave ${parsed.kind}`)
  return parsed.message
}

test.group('Operator commands: happy paths', () => {
  const cases: Array<[string, OperatorCommand]> = [
    ['/assign me', { name: 'assign', target: 'me' }],
    ['/assign ME', { name: 'assign', target: 'me' }],
    ['/assign @alice', { name: 'assign', target: { handle: 'alice' } }],
    ['/assign @a.b_c-1', { name: 'assign', target: { handle: 'a.b_c-1' } }],
    ['/assign alice@example.com', { name: 'assign', target: { handle: 'alice@example.com' } }],
    ['/unassign', { name: 'unassign' }],
    ['/close', { name: 'close' }],
    ['/close thanks!', { name: 'close', message: 'thanks!' }],
    ['/close in 2h', { name: 'close', afterMs: 2 * HOUR }],
    ['/close in 2h see you', { name: 'close', afterMs: 2 * HOUR, message: 'see you' }],
    ['/close IN 1d bye', { name: 'close', afterMs: DAY, message: 'bye' }],
    ['/close in 2 hours see you', { name: 'close', afterMs: 2 * HOUR, message: 'see you' }],
    ['/close in 1h 30m', { name: 'close', afterMs: 90 * MIN }],
    ['/close come back in 2h', { name: 'close', message: 'come back in 2h' }],
    ['/reopen', { name: 'reopen' }],
    ['/snooze 2h', { name: 'snooze', forMs: 2 * HOUR }],
    ['/snooze in 2h', { name: 'snooze', forMs: 2 * HOUR }],
    ['/snooze 3 days', { name: 'snooze', forMs: 3 * DAY }],
    ['/tag billing vip', { name: 'tag', tags: ['billing', 'vip'] }],
    ['/tag #VIP vip Billing', { name: 'tag', tags: ['vip', 'billing'] }],
    ['/tag état plan:pro v1.2', { name: 'tag', tags: ['état', 'plan:pro', 'v1.2'] }],
    ['/untag vip', { name: 'untag', tags: ['vip'] }],
    ['/note called back', { name: 'note', text: 'called back' }],
    ['/bot', { name: 'bot' }],
    ['/contact', { name: 'contact' }],
    ['/history', { name: 'history' }],
    ['/help', { name: 'help' }],
  ]
  for (const [text, expected] of cases) {
    test(text, ({ assert }) => {
      assert.deepEqual(parseOperatorText(text), { kind: 'command', command: expected })
    })
  }
})

test.group('Operator commands: how they are typed', () => {
  test('! is the same prefix as /', ({ assert }) => {
    assert.deepEqual(commandOf('!close in 2h bye'), commandOf('/close in 2h bye'))
    assert.deepEqual(commandOf('!assign me'), { name: 'assign', target: 'me' })
  })

  test("Telegram's @bot suffix is ignored", ({ assert }) => {
    assert.deepEqual(commandOf('/close@support_bot in 2h'), { name: 'close', afterMs: 2 * HOUR })
    assert.deepEqual(commandOf('/help@support_bot'), { name: 'help' })
    assert.deepEqual(commandOf('/Tag@Support_Bot vip'), { name: 'tag', tags: ['vip'] })
  })

  test('leading whitespace before the prefix is allowed', ({ assert }) => {
    assert.deepEqual(commandOf(' /close'), { name: 'close' })
    assert.deepEqual(commandOf('\n\t !reopen'), { name: 'reopen' })
  })

  test('command names are case-insensitive', ({ assert }) => {
    assert.deepEqual(commandOf('/CLOSE'), { name: 'close' })
    assert.deepEqual(commandOf('!SnOoZe 30m'), { name: 'snooze', forMs: 30 * MIN })
    assert.deepEqual(commandOf('/HELP'), { name: 'help' })
  })

  test('arguments are split on any whitespace', ({ assert }) => {
    assert.deepEqual(commandOf('/tag\tbilling \n  vip  '), {
      name: 'tag',
      tags: ['billing', 'vip'],
    })
    assert.deepEqual(commandOf('/assign\n@alice'), { name: 'assign', target: { handle: 'alice' } })
    assert.deepEqual(commandOf('/snooze   2h  '), { name: 'snooze', forMs: 2 * HOUR })
  })

  test('/note keeps the text verbatim, inner newlines included', ({ assert }) => {
    assert.deepEqual(commandOf('/note  line one\n\n  line two  \n'), {
      name: 'note',
      text: 'line one\n\n  line two',
    })
    assert.deepEqual(commandOf('/note\nfirst\nsecond'), { name: 'note', text: 'first\nsecond' })
    assert.deepEqual(commandOf('/note Call *me* @ 5 /close'), {
      name: 'note',
      text: 'Call *me* @ 5 /close',
    })
  })

  test('the /close message keeps inner newlines', ({ assert }) => {
    assert.deepEqual(commandOf('/close Thanks!\nBye.  '), {
      name: 'close',
      message: 'Thanks!\nBye.',
    })
    assert.deepEqual(commandOf('/close in 1d  Thanks!\n\nBye.'), {
      name: 'close',
      afterMs: DAY,
      message: 'Thanks!\n\nBye.',
    })
  })
})

test.group('Operator commands: plain replies', () => {
  const replies = [
    'hello',
    'Hi! How can I help?',
    '/ hello',
    '/',
    '!',
    '!!!',
    '!?',
    '/ ',
    '/123',
    '!1h',
    ':) /close',
    'please /close this',
    'https://x/close',
    '',
    '   ',
  ]
  for (const text of replies) {
    test(`${JSON.stringify(text)} is sent to the customer as given`, ({ assert }) => {
      assert.deepEqual(parseOperatorText(text), { kind: 'reply', text })
    })
  }
})

test.group('Operator commands: errors', () => {
  test('an unknown command is an error, never a reply', ({ assert }) => {
    assert.equal(errorOf('/foo'), 'Unknown command /foo. Type /help for the list.')
    assert.include(errorOf('!clsoe thanks'), 'Unknown command !clsoe.')
    assert.include(errorOf('/unknownword'), '/unknownword')
    assert.include(errorOf('/foo@support_bot'), 'Unknown command /foo.')
    assert.include(errorOf('/close@'), '/close@')
    assert.include(errorOf('/close@not-a-bot'), '/close@not-a-bot')
    assert.include(errorOf('/closes'), '/closes')
  })

  const cases: Array<[string, string]> = [
    ['/assign', '/assign me|@handle|email'],
    ['/assign me @alice', '/assign me|@handle|email'],
    ['/assign alice', '/assign me|@handle|email'],
    ['/assign @', '/assign me|@handle|email'],
    ['/assign @al!ce', '/assign me|@handle|email'],
    ['/close in', '/close [in <duration>] [message]'],
    ['/close in soon', '/close [in <duration>] [message]'],
    ['/close in 31d', '/close [in <duration>] [message]'],
    ['/close in 0m bye', '/close [in <duration>] [message]'],
    ['/snooze', 'Usage: /snooze <duration>, e.g. /snooze 2h'],
    ['/snooze in', 'Usage: /snooze <duration>, e.g. /snooze 2h'],
    ['/snooze 2h please', 'Usage: /snooze <duration>, e.g. /snooze 2h'],
    ['/snooze tomorrow', 'Usage: /snooze <duration>, e.g. /snooze 2h'],
    ['/snooze 90s', 'Usage: /snooze <duration>, e.g. /snooze 2h'],
    ['/snooze 31d', 'Usage: /snooze <duration>, e.g. /snooze 2h'],
    ['/tag', '/tag <tag>'],
    ['/untag', '/untag <tag>'],
    ['/tag vip bad!tag', 'bad!tag'],
    ['/tag _leading', '_leading'],
    ['/tag #', '"#"'],
    ['/tag ##vip', '##vip'],
    [`/tag ${'a'.repeat(51)}`, 'a'.repeat(51)],
    ['/untag -x', '-x'],
    ['/note', '/note <text>'],
    ['/note   \n  ', '/note <text>'],
    ['/unassign me', '/unassign'],
    ['/reopen now', '/reopen'],
    ['/bot please', '/bot'],
    ['/contact alice', '/contact'],
    ['/history 10', '/history'],
    ['/help close', '/help'],
  ]
  for (const [text, mentions] of cases) {
    test(`${JSON.stringify(text)} explains itself`, ({ assert }) => {
      const message = errorOf(text)
      assert.include(message, mentions)
      assert.include(message, '/help')
    })
  }

  test('at most 20 distinct tags', ({ assert }) => {
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`)
    assert.deepEqual(commandOf(`/tag ${twenty.join(' ')} T0 #t1`), { name: 'tag', tags: twenty })
    assert.include(errorOf(`/tag ${twenty.join(' ')} t20`), '20')
  })

  test('a 50-character tag is fine', ({ assert }) => {
    assert.deepEqual(commandOf(`/tag ${'a'.repeat(50)}`), { name: 'tag', tags: ['a'.repeat(50)] })
  })
})

test.group('parseDuration', () => {
  const valid: Array<[string, number]> = [
    ['1m', MIN],
    ['30m', 30 * MIN],
    ['2h', 2 * HOUR],
    ['1d', DAY],
    ['1w', 7 * DAY],
    ['1h30m', 90 * MIN],
    ['1d12h', 36 * HOUR],
    ['1w2d', 9 * DAY],
    ['1h 30m', 90 * MIN],
    ['2 hours', 2 * HOUR],
    ['1 hour', HOUR],
    ['45 minutes', 45 * MIN],
    ['3 days', 3 * DAY],
    ['2 weeks', 14 * DAY],
    ['2 hours 30 minutes', 150 * MIN],
    ['  2H ', 2 * HOUR],
    ['30d', 30 * DAY],
    ['720h', 30 * DAY],
  ]
  for (const [text, ms] of valid) {
    test(`${JSON.stringify(text)} is ${ms} ms`, ({ assert }) => {
      assert.equal(parseDuration(text), ms)
    })
  }

  const invalid = [
    '',
    ' ',
    '0m',
    '0h',
    '31d',
    '5w',
    '30d1m',
    '721h',
    '90s',
    '2',
    'h',
    '2x',
    '2 mo',
    '-2h',
    '1.5h',
    'two hours',
    'soon',
    '30m1h',
    '1h1h',
    '2h!',
    '99999999999999999999m',
  ]
  for (const text of invalid) {
    test(`${JSON.stringify(text)} is not a duration`, ({ assert }) => {
      assert.isUndefined(parseDuration(text))
    })
  }
})

test.group('Help', () => {
  test('lists every command, each with a description', ({ assert }) => {
    const help = helpText()
    const names = [
      'assign',
      'unassign',
      'close',
      'reopen',
      'snooze',
      'tag',
      'untag',
      'note',
      'bot',
      'contact',
      'history',
      'help',
    ]
    assert.lengthOf(COMMANDS, names.length)
    for (const name of names) {
      const entry = COMMANDS.find((c) => c.usage.split(' ')[0] === `/${name}`)
      assert.exists(entry, name)
      assert.isNotEmpty(entry!.description)
      assert.include(help, entry!.usage)
      assert.include(help, entry!.description)
    }
  })

  test('every usage line parses as a known command', ({ assert }) => {
    for (const { usage } of COMMANDS) {
      const parsed = parseOperatorText(usage.split(' ')[0])
      assert.notEqual(parsed.kind, 'reply', usage)
      if (parsed.kind === 'error') assert.notInclude(parsed.message, 'Unknown command', usage)
    }
  })
})
