/*
| The panel's conversation and contact helpers: an assistant answer's
| sources shown apart from its text, the inbox preview, the reply body the
| API expects (checked against its validator), and contact attributes
| edited as rows keeping their types.
*/
import { test } from '@japa/runner'
import { createMessageValidator } from '#validators/conversation'
import { updateContactValidator } from '#validators/contact'
import {
  bodyWithoutSources,
  buttonsOf,
  previewAuthor,
  previewText,
  sourcesOf,
  toReply,
} from '../../admin/src/resources/conversations/parts.ts'
import { fromRows, toBody, toRows } from '../../admin/src/resources/contacts/values.ts'

test.group('Admin panel: conversation helpers', () => {
  test('an answer shows its sources apart, without the footer the customer got', ({ assert }) => {
    const message = {
      body: 'Use Settings [1].\n\nSources:\n[1] Billing FAQ — https://help.example.com/billing',
      metadata: {
        assistant: {
          sources: [{ n: 1, title: 'Billing FAQ', url: 'https://help.example.com/billing' }],
        },
      },
    }
    const sources = sourcesOf(message)
    assert.deepEqual(sources, [
      { n: 1, title: 'Billing FAQ', url: 'https://help.example.com/billing' },
    ])
    assert.equal(bodyWithoutSources(message.body, sources), 'Use Settings [1].')
    // Without sources in the metadata the text is shown whole.
    assert.equal(bodyWithoutSources(message.body, []), message.body)
    assert.deepEqual(sourcesOf({ metadata: {} }), [])
    assert.deepEqual(sourcesOf({ metadata: { assistant: { sources: 'nope' } } as never }), [])
  })

  test('buttons are read defensively from the metadata', ({ assert }) => {
    assert.deepEqual(
      buttonsOf({
        metadata: { buttons: [[{ text: 'Yes', data: 'y' }, { bogus: 1 }], [], 'x'] } as never,
      }),
      [[{ text: 'Yes', data: 'y' }]]
    )
    assert.deepEqual(buttonsOf({ metadata: {} }), [])
  })

  test('the inbox preview names who wrote and what', ({ assert }) => {
    assert.equal(previewAuthor({ authorKind: 'contact' }), '')
    assert.equal(previewAuthor({ authorKind: 'bot' }), 'Assistant')
    assert.equal(previewText({ kind: 'text', body: '  two\n lines ' }), 'two lines')
    assert.equal(previewText({ kind: 'photo', body: null, attachmentCount: 1 }), 'Photo')
    assert.equal(previewText({ kind: 'callback', body: 'Yes' }), 'Pressed “Yes”')
  })

  test('a reply becomes the body the API validates', async ({ assert }) => {
    const reply = toReply(
      {
        text: 'Here you go',
        format: 'markdown',
        attachments: [{ kind: 'document', url: ' https://example.com/a.pdf ', name: ' ' }],
        buttons: [
          [
            { text: 'Yes', type: 'data', data: 'yes' },
            { text: 'Docs', type: 'url', url: 'https://example.com' },
          ],
        ],
      },
      false
    )
    assert.deepEqual(reply, {
      text: 'Here you go',
      format: 'markdown',
      attachments: [{ kind: 'document', url: 'https://example.com/a.pdf' }],
      buttons: [
        [
          { text: 'Yes', data: 'yes' },
          { text: 'Docs', url: 'https://example.com' },
        ],
      ],
    })
    await createMessageValidator.validate(reply)
    // Plain text is the API's default: not sent.
    assert.deepEqual(toReply({ text: 'Hi', format: 'plain' }, false), { text: 'Hi' })
    // A note carries text only, whatever else was filled in.
    const note = toReply({ text: 'FYI', attachments: [{ kind: 'photo', url: 'x' }] }, true)
    assert.deepEqual(note, { text: 'FYI', internal: true })
    await createMessageValidator.validate(note)
  })
})

test.group('Admin panel: contact attributes as rows', () => {
  test('round-trip keeps types; blank inputs clear the field', async ({ assert }) => {
    const attributes = { plan: 'Pro', seats: 12, vip: true, address: { city: 'Lisbon' } }
    const rows = toRows(attributes)
    assert.deepEqual(rows[0], { key: 'plan', value: 'Pro' })
    assert.deepEqual(rows[1], { key: 'seats', value: '12', json: true })
    assert.deepEqual(fromRows(rows), attributes)
    assert.deepEqual(
      fromRows([
        { key: ' ', value: 'dropped' },
        { key: 'a', value: '' },
      ]),
      { a: '' }
    )
    assert.deepEqual(toRows(null), [])

    const body = toBody({ name: 'Ana', email: '  ', phone: '+1 555 0100', attributes: rows })
    assert.deepEqual(body, {
      name: 'Ana',
      email: null,
      phone: '+1 555 0100',
      locale: undefined,
      attributes,
    })
    await updateContactValidator.validate(body)
  })
})
