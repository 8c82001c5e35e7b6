/*
| Text for Telegram: splitting long messages where a reader would, and
| MarkdownV2 that Telegram accepts (every reserved character escaped).
*/

/** Splits text into parts of at most `max` UTF-16 units at the best boundary available. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = []
  let rest = text
  while (rest.length > max) {
    const window = rest.slice(0, max)
    // Prefer a paragraph, then a line, then a sentence, then a word; never
    // cut in the first half when a later boundary exists.
    let cut = -1
    for (const boundary of ['\n\n', '\n', '. ', '! ', '? ', ' ']) {
      const at = window.lastIndexOf(boundary)
      if (at > max / 2) {
        cut = at + boundary.length
        break
      }
    }
    if (cut <= 0) {
      cut = max
      // Never split a surrogate pair (an emoji) in two.
      const code = rest.charCodeAt(cut - 1)
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1
    }
    const part = rest.slice(0, cut).trimEnd()
    if (part) parts.push(part)
    rest = rest.slice(cut).replace(/^\s+/, '')
  }
  if (rest.trim()) parts.push(rest)
  return parts
}

const RESERVED = /[_*[\]()~`>#+\-=|{}.!\\]/g

/** Plain text made safe for MarkdownV2. */
export function escapeMarkdownV2(text: string) {
  return text.replace(RESERVED, '\\$&')
}

/**
 * A small Markdown subset (**bold**, _italic_, `code`, [text](url)) as
 * MarkdownV2; everything else is escaped and shows literally.
 */
export function toMarkdownV2(text: string): string {
  // An underscore inside a word (snake_case, file_name) is not emphasis.
  const pattern =
    /\*\*([^*]+)\*\*|(?<!\w)_([^_]+)_(?!\w)|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g
  let out = ''
  let last = 0
  for (const match of text.matchAll(pattern)) {
    out += escapeMarkdownV2(text.slice(last, match.index))
    const [, bold, italic, code, label, url] = match
    if (bold !== undefined) out += `*${escapeMarkdownV2(bold)}*`
    else if (italic !== undefined) out += `_${escapeMarkdownV2(italic)}_`
    else if (code !== undefined) out += `\`${code.replace(/[`\\]/g, '\\$&')}\``
    else out += `[${escapeMarkdownV2(label!)}](${url!.replace(/[)\\]/g, '\\$&')})`
    last = match.index + match[0].length
  }
  return out + escapeMarkdownV2(text.slice(last))
}
