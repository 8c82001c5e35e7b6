import { Fragment, useEffect, useLayoutEffect, useRef } from 'react'
import { Alert, Button, Divider, Empty, Image, Space, Spin, Tag, Tooltip, Typography } from 'antd'
import {
  CheckOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  LinkOutlined,
  LockOutlined,
  PaperClipOutlined,
  RobotOutlined,
  UserOutlined,
} from '@ant-design/icons'
import dayjs from 'dayjs'
import type { Message, User } from '../../api/types'
import { date, dateTime } from '../../lib/format'
import { userName } from '../../lib/lookups'
import {
  attachmentUrl,
  attachmentsOf,
  bodyWithoutSources,
  buttonsOf,
  fileSize,
  isImage,
  kindLabel,
  sourcesOf,
} from './parts'

type Look = 'customer' | 'assistant' | 'automatic' | 'operator' | 'note' | 'system'

function lookOf(m: Message): Look {
  if (m.direction === 'internal') return m.authorKind === 'system' ? 'system' : 'note'
  if (m.direction === 'inbound') return 'customer'
  if (m.authorKind === 'bot') return 'assistant'
  // Sent to the customer by the desk itself (auto-replies, handoff notices).
  if (m.authorKind === 'system') return 'automatic'
  return 'operator'
}

const BUBBLE: Record<Look, React.CSSProperties> = {
  customer: { background: '#f5f5f5', border: '1px solid #e8e8e8' },
  assistant: { background: '#e6f4ff', border: '1px solid #91caff' },
  automatic: { background: '#f0f5ff', border: '1px dashed #adc6ff' },
  operator: { background: '#3056d3', border: '1px solid #3056d3', color: '#fff' },
  note: { background: '#fffbe6', border: '1px dashed #faad14' },
  system: { background: '#fafafa', border: '1px solid #f0f0f0' },
}

/** http(s) addresses in plain text as links; everything else as typed. */
function Linkified({ text, light }: { text: string; light?: boolean }) {
  const parts = text.split(/(https?:\/\/[^\s<>()]+)/g)
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a
            key={i}
            href={part}
            target="_blank"
            rel="noreferrer noopener"
            style={light ? { color: '#fff', textDecoration: 'underline' } : undefined}
          >
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        )
      )}
    </>
  )
}

function Delivery({
  message,
  onRetry,
  retrying,
}: {
  message: Message
  onRetry: (m: Message) => void
  retrying: boolean
}) {
  if (message.direction !== 'outbound') return null
  switch (message.deliveryStatus) {
    case 'pending':
      return message.attempts ? (
        <Tooltip title={message.failureReason ?? undefined}>
          <Tag icon={<ClockCircleOutlined />} color="warning" data-testid="delivery-state">
            Retrying (attempt {message.attempts + 1})
          </Tag>
        </Tooltip>
      ) : (
        <Tag icon={<ClockCircleOutlined />} color="processing" data-testid="delivery-state">
          Sending…
        </Tag>
      )
    case 'sent':
      return (
        <Tag icon={<CheckOutlined />} color="success" data-testid="delivery-state">
          Sent
        </Tag>
      )
    case 'failed':
      return (
        <Space size={4} wrap data-testid="delivery-state">
          <Tag icon={<ExclamationCircleOutlined />} color="error">
            Not delivered{message.attempts ? ` after ${message.attempts} attempts` : ''}
          </Tag>
          {message.failureReason && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {message.failureReason}
            </Typography.Text>
          )}
          <Button
            size="small"
            danger
            loading={retrying}
            onClick={() => onRetry(message)}
            data-testid="retry-message"
            aria-label="Retry delivery"
          >
            Retry
          </Button>
        </Space>
      )
    default:
      return (
        <Tooltip title="This conversation has no channel, so nothing was sent to the customer.">
          <Tag data-testid="delivery-state">Not sent (no channel)</Tag>
        </Tooltip>
      )
  }
}

function Attachments({ message, light }: { message: Message; light: boolean }) {
  const files = attachmentsOf(message)
  if (!files.length || message.id === undefined) return null
  return (
    <Space direction="vertical" size={6} style={{ marginTop: 6, display: 'flex' }}>
      {files.map((file, index) => {
        const src = attachmentUrl(message.id!, index)
        const label = file.name || kindLabel(file.kind)
        return isImage(file) ? (
          <Image
            key={index}
            src={src}
            alt={label}
            width={220}
            style={{ borderRadius: 8, maxWidth: '100%' }}
            fallback="data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='220' height='60'><rect width='100%' height='100%' fill='%23f0f0f0'/><text x='50%' y='55%' font-size='12' text-anchor='middle' fill='%23999'>Image unavailable</text></svg>"
          />
        ) : (
          <a
            key={index}
            href={src}
            target="_blank"
            rel="noreferrer noopener"
            style={light ? { color: '#fff', textDecoration: 'underline' } : undefined}
          >
            <PaperClipOutlined /> {label}
            {file.size ? ` (${fileSize(file.size)})` : ''}
          </a>
        )
      })}
    </Space>
  )
}

function Bubble({
  message,
  contactName,
  author,
  onRetry,
  retrying,
}: {
  message: Message
  contactName: string
  author?: User
  onRetry: (m: Message) => void
  retrying: boolean
}) {
  const look = lookOf(message)
  const sources = look === 'assistant' ? sourcesOf(message) : []
  const text = bodyWithoutSources(message.body, sources)
  const buttons = buttonsOf(message)
  const right = look === 'assistant' || look === 'automatic' || look === 'operator'
  const light = look === 'operator'
  const when = message.createdAt ? dayjs(message.createdAt).format('HH:mm') : ''

  if (look === 'system') {
    return (
      <div
        data-testid="message"
        data-look={look}
        data-message-id={message.id}
        style={{ textAlign: 'center', margin: '8px 0' }}
      >
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <Tooltip title={dateTime(message.createdAt)}>{when}</Tooltip> · {message.body}
        </Typography.Text>
      </div>
    )
  }

  const who =
    look === 'customer' ? (
      <>
        <UserOutlined /> {contactName}
      </>
    ) : look === 'assistant' ? (
      <>
        <RobotOutlined /> Assistant
      </>
    ) : look === 'automatic' ? (
      <>
        <RobotOutlined /> Automatic message
      </>
    ) : look === 'note' ? (
      <>
        <LockOutlined /> Internal note · {author ? userName(author) : 'Operator'}
      </>
    ) : (
      <>
        <UserOutlined /> {author ? userName(author) : 'Operator'}
      </>
    )

  return (
    <div
      data-testid="message"
      data-look={look}
      data-message-id={message.id}
      style={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: look === 'note' ? 'stretch' : right ? 'flex-end' : 'flex-start',
        margin: '10px 0',
      }}
    >
      <Typography.Text type="secondary" style={{ fontSize: 12, marginBottom: 2 }}>
        {who}
      </Typography.Text>
      <div
        style={{
          ...BUBBLE[look],
          borderRadius: 12,
          padding: '8px 12px',
          maxWidth: look === 'note' ? '100%' : 'min(85%, 640px)',
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
        }}
      >
        {message.kind === 'callback' ? (
          <i>Pressed “{text || 'a button'}”</i>
        ) : text ? (
          <Linkified text={text} light={light} />
        ) : attachmentsOf(message).length ? null : (
          <i>{kindLabel(message.kind)}</i>
        )}
        <Attachments message={message} light={light} />
        {sources.length > 0 && (
          <div style={{ marginTop: 8, whiteSpace: 'normal' }} data-testid="message-sources">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              Sources:
            </Typography.Text>
            <ol style={{ margin: '2px 0 0', paddingLeft: 20, fontSize: 13 }}>
              {sources.map((s) => (
                <li key={s.n} value={s.n}>
                  {s.url ? (
                    <a href={s.url} target="_blank" rel="noreferrer noopener">
                      {s.title} <LinkOutlined />
                    </a>
                  ) : (
                    s.title
                  )}
                </li>
              ))}
            </ol>
          </div>
        )}
        {buttons.length > 0 && (
          <div style={{ marginTop: 8 }} aria-label="Buttons the customer sees">
            {buttons.map((row, r) => (
              <Space key={r} wrap size={4} style={{ display: 'flex', marginTop: r ? 4 : 0 }}>
                {row.map((b, i) => (
                  <Tag key={i} icon={b.url ? <LinkOutlined /> : undefined}>
                    {b.text}
                  </Tag>
                ))}
              </Space>
            ))}
          </div>
        )}
      </div>
      <Space
        size={6}
        wrap
        style={{ marginTop: 2, justifyContent: right ? 'flex-end' : 'flex-start' }}
      >
        <Tooltip title={dateTime(message.createdAt)}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {when}
          </Typography.Text>
        </Tooltip>
        {message.editedAt && (
          <Tooltip title={`Edited ${dateTime(message.editedAt)}`}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              edited
            </Typography.Text>
          </Tooltip>
        )}
        {(message.metadata as { format?: string } | undefined)?.format === 'markdown' && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            Markdown
          </Typography.Text>
        )}
        <Delivery message={message} onRetry={onRetry} retrying={retrying} />
      </Space>
    </div>
  )
}

export function Timeline({
  messages,
  loading,
  error,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  contactName,
  userById,
  onRetry,
  retryingId,
  scroll,
}: {
  messages: Message[]
  loading: boolean
  error?: { message?: string } | null
  hasOlder: boolean
  loadingOlder: boolean
  onLoadOlder: () => void
  contactName: string
  userById: Map<number, User>
  onRetry: (m: Message) => void
  retryingId?: number
  /** Scroll inside a box of this height (wide screens); else the page scrolls. */
  scroll?: string
}) {
  const box = useRef<HTMLDivElement>(null)
  const inner = useRef<HTMLDivElement>(null)
  const lastId = messages.length ? messages[messages.length - 1].id : undefined
  const nearBottom = useRef(true)

  // Follow new messages when the reader is at the bottom already.
  useLayoutEffect(() => {
    const el = box.current
    if (el && scroll && nearBottom.current) el.scrollTop = el.scrollHeight
  }, [lastId, scroll, loading])

  useEffect(() => {
    const el = box.current
    const content = inner.current
    if (!el || !content || !scroll) return
    const onScroll = () => {
      nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80
    }
    el.addEventListener('scroll', onScroll)
    // Images load after the text: stay at the bottom as they grow the list.
    const observer = new ResizeObserver(() => {
      if (nearBottom.current) el.scrollTop = el.scrollHeight
    })
    observer.observe(content)
    return () => {
      el.removeEventListener('scroll', onScroll)
      observer.disconnect()
    }
  }, [scroll])

  let lastDay = ''
  return (
    <div
      ref={box}
      data-testid="timeline"
      aria-label="Messages"
      role="log"
      style={scroll ? { height: scroll, overflowY: 'auto', paddingRight: 4 } : undefined}
    >
      <div ref={inner}>
        {hasOlder && (
          <div style={{ textAlign: 'center', margin: '4px 0 8px' }}>
            <Button size="small" onClick={onLoadOlder} loading={loadingOlder}>
              Load earlier messages
            </Button>
          </div>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            message="The messages could not be loaded"
            description={error.message}
          />
        )}
        {loading ? (
          <div style={{ padding: 32, textAlign: 'center' }}>
            <Spin />
          </div>
        ) : messages.length === 0 && !error ? (
          <Empty description="No messages yet. Write the first one below." />
        ) : (
          messages.map((m) => {
            const day = m.createdAt ? date(m.createdAt) : ''
            const divider = day && day !== lastDay
            lastDay = day
            return (
              <Fragment key={m.id}>
                {divider && (
                  <Divider plain style={{ fontSize: 12, margin: '12px 0' }}>
                    {day}
                  </Divider>
                )}
                <Bubble
                  message={m}
                  contactName={contactName}
                  author={m.authorUserId ? userById.get(m.authorUserId) : undefined}
                  onRetry={onRetry}
                  retrying={retryingId === m.id}
                />
              </Fragment>
            )
          })
        )}
      </div>
    </div>
  )
}
