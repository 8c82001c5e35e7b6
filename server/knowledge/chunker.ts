/*
| Cutting a document into the passages retrieval ranks and the assistant
| quotes. Headings decide first: every Markdown `#` heading starts a
| section, remembered by its heading path ("Billing › Refunds"), so a
| passage never mixes two topics. A section short enough to quote stays
| whole (a typical abstract or FAQ answer is one chunk); a longer one is
| cut into even pieces of about `targetChars` on paragraph, line or
| sentence boundaries, each piece repeating the end of the one before, so
| a fact that straddles a cut is still whole in one of them.
*/

export interface ChunkOptions {
  /** The size long sections are cut to, in characters. */
  targetChars?: number
  /** Sections up to this size stay whole. */
  maxChars?: number
  /** How much of a piece's end is repeated at the start of the next, as a share of targetChars. */
  overlap?: number
}

export interface Chunk {
  ordinal: number
  heading: string | null
  text: string
}

const DEFAULTS: Required<ChunkOptions> = { targetChars: 1000, maxChars: 2400, overlap: 0.15 }

const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/
const FENCE = /^\s*(```|~~~)/

/** A piece of a section and what joins it to the piece before: a paragraph break, a line break or a space. */
interface Unit {
  text: string
  separator: string
}

interface Section {
  path: string[]
  lines: string[]
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Sections in document order, each with its heading path; code fences are never read as headings. */
function sections(content: string): Section[] {
  const out: Section[] = [{ path: [], lines: [] }]
  const stack: Array<{ level: number; title: string }> = []
  let fenced = false
  for (const line of content.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE.test(line)) fenced = !fenced
    const match = fenced ? null : HEADING.exec(line)
    if (!match) {
      out[out.length - 1].lines.push(line)
      continue
    }
    const level = match[1].length
    const title = normalise(match[2].replace(/[*_`]+/g, ''))
    while (stack.length && stack[stack.length - 1].level >= level) stack.pop()
    if (title) stack.push({ level, title })
    out.push({ path: stack.map((h) => h.title), lines: [] })
  }
  return out
}

/**
 * The heading path shown with a chunk. A leading heading that repeats the
 * document's title adds nothing (the title is always shown), so it is left out.
 */
function headingOf(path: string[], title: string): string | null {
  const rest =
    path.length && path[0].toLowerCase() === normalise(title).toLowerCase() ? path.slice(1) : path
  return rest.length ? rest.join(' › ') : null
}

/** Sentences of a line, ending at . ! ? or … followed by a space. */
function sentences(line: string): string[] {
  return line
    .split(/(?<=[.!?…]["')\]]?)\s+(?=\S)/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** A sentence longer than `max` is cut at word boundaries. */
function hardCut(text: string, max: number): string[] {
  if (text.length <= max) return [text]
  const out: string[] = []
  let rest = text
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max)
    if (cut < max / 2) cut = max
    out.push(rest.slice(0, cut).trim())
    rest = rest.slice(cut).trim()
  }
  if (rest) out.push(rest)
  return out
}

/** The section as units no longer than `max`: sentences, with the breaks that separated them. */
function units(text: string, max: number): Unit[] {
  const out: Unit[] = []
  text.split(/\n\s*\n/).forEach((paragraph, p) => {
    paragraph
      .split('\n')
      .filter((line) => line.trim())
      .forEach((line, l) => {
        sentences(line)
          .flatMap((sentence) => hardCut(sentence, max))
          .forEach((sentence, s) => {
            const separator = s > 0 ? ' ' : l > 0 ? '\n' : p > 0 ? '\n\n' : ''
            out.push({ text: sentence, separator })
          })
      })
  })
  return out
}

const join = (list: Unit[]) =>
  list.map((u, i) => (i === 0 ? u.text : u.separator + u.text)).join('')

/**
 * Even pieces of about `target` characters. The last sentence of a piece
 * (and more, up to `overlapChars`) opens the next one too; every piece
 * takes at least one unit the piece before did not have.
 */
function pack(list: Unit[], target: number, overlapChars: number): string[] {
  const lengthOf = (from: number, to: number) =>
    list
      .slice(from, to)
      .reduce((sum, u, i) => sum + u.text.length + (i ? u.separator.length : 0), 0)
  const size = lengthOf(0, list.length) / Math.ceil(lengthOf(0, list.length) / target)
  const pieces: string[] = []
  let start = 0
  let fresh = 0
  while (fresh < list.length) {
    let end = start
    let length = 0
    while (end < list.length) {
      const next = list[end].text.length + (end > start ? list[end].separator.length : 0)
      if (end > fresh && length + next > size) break
      length += next
      end++
    }
    // A short remainder joins this piece rather than standing alone.
    if (end < list.length && lengthOf(end, list.length) < size * 0.25) end = list.length
    pieces.push(join(list.slice(start, end)))
    let carried = end
    const fits = (i: number) =>
      i > fresh && lengthOf(i, end) <= (i === end - 1 ? overlapChars * 2 : overlapChars)
    while (carried < list.length && fits(carried - 1)) carried--
    start = carried
    fresh = end
  }
  return pieces
}

/** The chunks of a document, in order; never an empty one. */
export function chunkDocument(
  input: { title: string; content: string },
  options: ChunkOptions = {}
): Chunk[] {
  const { targetChars, maxChars, overlap } = { ...DEFAULTS, ...options }
  const out: Chunk[] = []
  for (const section of sections(input.content)) {
    const text = section.lines
      .join('\n')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
    if (!text) continue
    const heading = headingOf(section.path, input.title)
    const pieces =
      text.length <= maxChars
        ? [text]
        : pack(units(text, targetChars), targetChars, targetChars * overlap)
    for (const piece of pieces) out.push({ ordinal: out.length, heading, text: piece })
  }
  return out
}
