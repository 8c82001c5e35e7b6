/*
| Turning what people upload into the text the chunker reads: cleaned
| Unicode, headings as Markdown `#` lines. HTML goes through turndown, PDF
| through unpdf (Mozilla's pdf.js), URLs are fetched with limits.
*/
import { lookup } from 'node:dns/promises'
import ipaddr from 'ipaddr.js'
import TurndownService from 'turndown'
import { extractText, getDocumentProxy } from 'unpdf'

export type KnowledgeFormat = 'markdown' | 'text' | 'html' | 'pdf'

/** Raised for input that cannot become a document; the API turns it into a 422. */
export class ExtractionError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

/*
| Characters a reader cannot see but a model reads: zero-width and joiner
| marks, bidirectional overrides (text that displays differently from what
| it says), the BOM, soft hyphens, Unicode "tag" characters and the
| variation selectors supplement (both used to smuggle hidden prompts), and
| C0/C1 control characters other than tab and newline.
*/
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu

export function cleanText(input: string): string {
  return input
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

const turndown = new TurndownService({
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
})
// Page furniture and scripts are not knowledge.
turndown.remove([
  'head',
  'title',
  'script',
  'style',
  'noscript',
  'iframe',
  'nav',
  'footer',
  'form',
  'svg',
])

export function htmlToMarkdown(html: string): string {
  return turndown.turndown(html)
}

/** The page's <title>, for a URL imported without one. */
export function htmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([^<]{1,300})<\/title>/i.exec(html)
  return match ? cleanText(decodeEntities(match[1])) || undefined : undefined
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
}

export async function pdfToText(data: Uint8Array): Promise<string> {
  try {
    const pdf = await getDocumentProxy(new Uint8Array(data))
    const { text } = await extractText(pdf, { mergePages: false })
    return (text as string[]).join('\n\n')
  } catch (error) {
    throw new ExtractionError(`Not a readable PDF: ${(error as Error).message}`, 'file')
  }
}

/** A document's text as the chunker wants it, from any accepted format. */
export async function toContent(format: KnowledgeFormat, body: string | Uint8Array) {
  let text: string
  if (format === 'pdf') {
    text = await pdfToText(typeof body === 'string' ? Buffer.from(body) : body)
  } else {
    const raw = typeof body === 'string' ? body : Buffer.from(body).toString('utf8')
    text = format === 'html' ? htmlToMarkdown(raw) : raw
  }
  const content = cleanText(text)
  if (!content) throw new ExtractionError('The document has no text', 'content')
  return content
}

/** The first heading, else the first line: a title for a document sent without one. */
export function guessTitle(content: string, fallback: string): string {
  const heading = /^#{1,6}\s+(.+)$/m.exec(content)?.[1]
  const line = heading ?? content.split('\n').find((l) => l.trim())
  const title = (line ?? fallback).replace(/[#*_`]/g, '').trim()
  return (title || fallback).slice(0, 200)
}

const EXTENSIONS: Record<string, KnowledgeFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
}

export const FILE_EXTENSIONS = Object.keys(EXTENSIONS)

export function formatOfFilename(name: string): KnowledgeFormat | undefined {
  const ext = name.toLowerCase().split('.').pop() ?? ''
  return EXTENSIONS[ext]
}

function formatOfContentType(type: string | null): KnowledgeFormat | undefined {
  const mime = (type ?? '').split(';')[0].trim().toLowerCase()
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html'
  if (mime === 'application/pdf') return 'pdf'
  if (mime === 'text/markdown' || mime === 'text/x-markdown') return 'markdown'
  if (mime === 'text/plain') return 'text'
  return undefined
}

export interface FetchOptions {
  /** Loopback and private addresses are refused unless allowed (a server must not be a proxy into its own network). */
  allowPrivate?: boolean
  maxBytes?: number
  timeoutMs?: number
}

export interface Fetched {
  format: KnowledgeFormat
  body: Uint8Array
  title?: string
  url: string
}

async function assertPublicHost(url: URL) {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = ipaddr.isValid(host)
    ? [host]
    : await lookup(host, { all: true }).then(
        (list) => list.map((a) => a.address),
        () => {
          throw new ExtractionError(`Cannot resolve ${host}`, 'url')
        }
      )
  for (const address of addresses) {
    const parsed = ipaddr.process(address)
    if (parsed.range() !== 'unicast') {
      throw new ExtractionError(`${host} is a ${parsed.range()} address, not a public one`, 'url')
    }
  }
}

/** Fetches a page or file to import: http(s) only, size and time bounded, redirects checked. */
export async function fetchDocument(address: string, options: FetchOptions = {}): Promise<Fetched> {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024
  let url = new URL(address)
  for (let hop = 0; hop < 5; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ExtractionError('Only http and https addresses can be imported', 'url')
    }
    if (!options.allowPrivate) await assertPublicHost(url)
    let response: Response
    try {
      response = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        headers: { accept: 'text/html, text/markdown, text/plain, application/pdf;q=0.9' },
      })
    } catch (error) {
      throw new ExtractionError(`Could not fetch ${url.href}: ${(error as Error).message}`, 'url')
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      url = new URL(response.headers.get('location')!, url)
      continue
    }
    if (!response.ok) {
      throw new ExtractionError(`${url.href} answered HTTP ${response.status}`, 'url')
    }
    const format =
      formatOfContentType(response.headers.get('content-type')) ?? formatOfFilename(url.pathname)
    if (!format) {
      throw new ExtractionError(
        `${url.href} is ${response.headers.get('content-type') ?? 'of unknown type'}; HTML, Markdown, text and PDF can be imported`,
        'url'
      )
    }
    const body = await readLimited(response, maxBytes, url.href)
    const title = format === 'html' ? htmlTitle(Buffer.from(body).toString('utf8')) : undefined
    return { format, body, title, url: url.href }
  }
  throw new ExtractionError('Too many redirects', 'url')
}

async function readLimited(response: Response, maxBytes: number, href: string) {
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > maxBytes) {
    throw new ExtractionError(`${href} is larger than ${maxBytes} bytes`, 'url')
  }
  const parts: Uint8Array[] = []
  let size = 0
  for await (const part of response.body ?? []) {
    size += part.byteLength
    if (size > maxBytes)
      throw new ExtractionError(`${href} is larger than ${maxBytes} bytes`, 'url')
    parts.push(part)
  }
  return Buffer.concat(parts)
}
