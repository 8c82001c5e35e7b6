import { test } from '@japa/runner'
import {
  citedSources,
  knownHosts,
  leaksPrompt,
  neutraliseLinks,
  sourcesFooter,
} from '#assistant/output'
import { quote, wantsPerson } from '#assistant/answer'
import { cleanText, guessTitle } from '#knowledge/extract'

const sources = [
  { n: 1, title: 'Refunds', url: 'https://help.example.com/refunds' },
  { n: 2, title: 'Shipping', url: null },
]

test.group('Assistant output', () => {
  test('links and images keep their address only for known hosts', ({ assert }) => {
    const hosts = knownHosts(sources, ['shop.example.com'])
    assert.equal(
      neutraliseLinks(
        'See [refunds](https://help.example.com/refunds), [win](https://evil.example/x), ' +
          '![pixel](https://evil.example/p.png?d=1) ![logo](https://shop.example.com/l.png) ' +
          'https://evil.example/raw www.evil.example/y https://shop.example.com/cart <img src="https://evil.example/i">',
        hosts
      ),
      'See refunds (https://help.example.com/refunds), win, pixel logo: https://shop.example.com/l.png ' +
        '[link removed] [link removed] https://shop.example.com/cart '
    )
  })

  test('cited sources are listed; with no citation the best source is', ({ assert }) => {
    assert.deepEqual(
      citedSources('As [2] says.', sources).map((s) => s.n),
      [2]
    )
    assert.deepEqual(
      citedSources('No citation.', sources).map((s) => s.n),
      [1]
    )
    assert.equal(
      sourcesFooter(sources),
      '\n\nSources:\n[1] Refunds — https://help.example.com/refunds\n[2] Shipping'
    )
  })

  test('the canary or a long stretch of the instructions is a leak', ({ assert }) => {
    const prompt =
      'You are the support assistant of Acme. Answer the customer using only the numbered sources provided and cite them.'
    assert.isTrue(leaksPrompt('here: SB-1234abcd', 'SB-1234abcd', prompt))
    assert.isTrue(
      leaksPrompt(`My rules: ${prompt.toUpperCase().replace(/ /g, '  ')}`, 'SB-1234abcd', prompt)
    )
    assert.isFalse(leaksPrompt('Refunds take 14 days [1].', 'SB-1234abcd', prompt))
  })

  test('customers asking for a person are recognised; questions about agents are not', ({
    assert,
  }) => {
    for (const text of [
      'Can I talk to a human?',
      'I want to speak with a real person',
      'human please',
      'Agent',
      'connect me to someone',
    ]) {
      assert.isTrue(wantsPerson(text), text)
    }
    for (const text of [
      'How do I add an agent to my account?',
      'Is the human resources module included?',
      'What is your refund policy?',
    ]) {
      assert.isFalse(wantsPerson(text), text)
    }
  })

  test('a quoted passage drops headings and stops at a sentence', ({ assert }) => {
    assert.equal(quote('## Refunds\nAnnual plans are refunded.'), 'Annual plans are refunded.')
    const long = `${'Sentence one is here. '.repeat(40)}`
    const quoted = quote(long, 100)
    assert.isAtMost(quoted.length, 100)
    assert.isTrue(quoted.endsWith('.'))
  })
})

test.group('Knowledge cleaning', () => {
  test('invisible and control characters are stripped, text kept', ({ assert }) => {
    assert.equal(
      cleanText(
        'Re\u200Bfunds\u202E take\u2066 5 days\u00AD.\u0007\r\n\r\n\r\n\r\nNext\u{E0041}\u{E0042} line  '
      ),
      'Refunds take 5 days.\n\nNext line'
    )
    assert.equal(cleanText('Café 👍🏽 日本'), 'Café 👍🏽 日本')
  })

  test('a title is guessed from the first heading or line', ({ assert }) => {
    assert.equal(guessTitle('intro\n# **Refunds**\ntext', 'file.md'), 'Refunds')
    assert.equal(guessTitle('\nFirst line\nsecond', 'file.md'), 'First line')
  })
})
