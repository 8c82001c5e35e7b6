/*
| What the model wrote, made safe to send: links and images pointing at
| hosts we do not know lose their address (a customer's client would fetch
| an image or preview a link, and a prompt injection could use that to
| leak the conversation), the sources it cites are listed, and an answer
| that repeats the system prompt's canary is never sent.
*/
import { createHmac } from 'node:crypto'
import env from '#start/env'

export interface SourceRef {
  n: number
  title: string
  url: string | null
}

/** A marker only the system prompt contains: seen in an answer, the prompt leaked. */
export function canaryFor(teamId: number): string {
  const key = env.get('APP_KEY').release()
  return `SB-${createHmac('sha256', key).update(`canary:${teamId}`).digest('hex').slice(0, 16)}`
}

function hostOf(address: string): string | undefined {
  try {
    return new URL(address).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

export function knownHosts(sources: SourceRef[], allowed: string[]): Set<string> {
  const hosts = new Set(allowed.map((h) => h.toLowerCase()))
  for (const s of sources) {
    const host = s.url ? hostOf(s.url) : undefined
    if (host) hosts.add(host)
  }
  return hosts
}

const IMAGE = /!\[([^\]]{0,200})\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g
const LINK = /\[([^\]]{1,200})\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g
const BARE = /\b(?:https?|ftp):\/\/[^\s<>()]+|\bwww\.[^\s<>()]+/gi
const HTML_TAG =
  /<\/?(?:img|a|iframe|script|style|object|embed|svg|video|audio|source|link|meta)\b[^>]*>/gi

/** Plain text with only known hosts' addresses left in it. */
export function neutraliseLinks(text: string, hosts: Set<string>): string {
  const known = (address: string) => {
    const host = hostOf(address.startsWith('www.') ? `https://${address}` : address)
    return !!host && hosts.has(host)
  }
  return (
    text
      .replace(HTML_TAG, '')
      // Images are never shown inline; a known one stays as its address.
      .replace(IMAGE, (_, alt: string, url: string) =>
        known(url) ? `${alt || 'image'}: ${url}` : alt
      )
      .replace(LINK, (_, label: string, url: string) => (known(url) ? `${label} (${url})` : label))
      .replace(BARE, (url: string) => (known(url) ? url : '[link removed]'))
  )
}

/** Numbers the answer cites ([1], [2]); the best source when it cites none. */
export function citedSources(text: string, sources: SourceRef[]): SourceRef[] {
  const cited = new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1])))
  const list = sources.filter((s) => cited.has(s.n))
  return list.length ? list : sources.slice(0, 1)
}

export function sourcesFooter(sources: SourceRef[]): string {
  if (!sources.length) return ''
  const lines = sources.map((s) => `[${s.n}] ${s.title}${s.url ? ` — ${s.url}` : ''}`)
  return `\n\nSources:\n${lines.join('\n')}`
}

/** True when the answer gives away the system prompt. */
export function leaksPrompt(text: string, canary: string, prompt: string): boolean {
  if (text.includes(canary)) return true
  // A long verbatim stretch of the instructions is a leak too.
  const flat = (s: string) => s.replace(/\s+/g, ' ').toLowerCase()
  const answer = flat(text)
  const instructions = flat(prompt)
  for (let i = 0; i + 80 <= instructions.length; i += 40) {
    if (answer.includes(instructions.slice(i, i + 80))) return true
  }
  return false
}
