import { useEffect, useState } from 'react'
import { useCustomMutation, useList, useOne, type HttpError } from '@refinedev/core'
import { Link } from 'react-router'
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  List,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { Contact, Conversation } from '../../api/types'
import { StatusTag } from '../../components/conversation_labels'
import { RelativeTime } from '../../components/relative_time'
import { dateTime } from '../../lib/format'
import { useTags } from '../../lib/lookups'
import { previewText } from './parts'

function attributeText(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

export function ContactCard({
  contactId,
  refreshKey,
}: {
  contactId: number
  refreshKey?: unknown
}) {
  const { result: contact, query } = useOne<Contact>({
    resource: 'contacts',
    id: contactId,
    liveMode: 'off',
    errorNotification: false,
  })
  useEffect(() => {
    if (refreshKey) void query.refetch()
  }, [refreshKey])
  const attributes = Object.entries((contact?.attributes ?? {}) as Record<string, unknown>)
  return (
    <Card
      size="small"
      title="Contact"
      data-testid="contact-panel"
      extra={<Link to={`/contacts/${contactId}`}>Open</Link>}
    >
      {query.isLoading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : query.isError || !contact ? (
        <Alert type="warning" message="The contact could not be loaded." />
      ) : (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {contact.name || `Contact #${contact.id}`}
          </Typography.Title>
          {contact.unreachableAt && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 8 }}
              message={`Unreachable since ${dateTime(contact.unreachableAt)}`}
              description="The customer blocked the bot or left: replies cannot reach them."
            />
          )}
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="Email">
              {contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="Phone">{contact.phone || '—'}</Descriptions.Item>
            {contact.locale && (
              <Descriptions.Item label="Language">{contact.locale}</Descriptions.Item>
            )}
            {attributes.map(([key, value]) => (
              <Descriptions.Item key={key} label={key}>
                <span style={{ overflowWrap: 'anywhere' }}>{attributeText(value)}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
            Identities
          </Typography.Text>
          {contact.identities?.length ? (
            <Space direction="vertical" size={2} data-testid="contact-identities">
              {contact.identities.map((identity) => (
                <span key={identity.id}>
                  <Tag>{identity.platform}</Tag>
                  <Typography.Text copyable={{ text: identity.externalId }}>
                    {identity.externalId}
                  </Typography.Text>
                  {identity.username ? (
                    <Typography.Text type="secondary"> @{identity.username}</Typography.Text>
                  ) : null}
                </span>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">No platform identities.</Typography.Text>
          )}
        </>
      )}
    </Card>
  )
}

/** The contact's other conversations, newest first. */
export function PastConversations({
  contactId,
  currentId,
  refreshKey,
}: {
  contactId: number
  currentId?: number
  refreshKey?: unknown
}) {
  const { result, query } = useList<Conversation>({
    resource: 'conversations',
    filters: [{ field: 'contactId', operator: 'eq', value: contactId }],
    sorters: [{ field: 'lastMessageAt', order: 'desc' }],
    pagination: { pageSize: 10 },
    liveMode: 'off',
    errorNotification: false,
  })
  // The page bumps refreshKey when this contact's conversations change.
  useEffect(() => {
    if (refreshKey) void query.refetch()
  }, [refreshKey])
  const others = result.data.filter((c) => c.id !== currentId)
  return (
    <Card size="small" title="Past conversations" data-testid="past-conversations">
      {query.isLoading ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : others.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No other conversations." />
      ) : (
        <List
          size="small"
          dataSource={others}
          renderItem={(c) => (
            <List.Item style={{ paddingInline: 0 }}>
              <div style={{ width: '100%' }}>
                <Space size={4} wrap>
                  <Link to={`/conversations/${c.id}`}>Conversation #{c.id}</Link>
                  <StatusTag status={c.status} snoozedUntil={c.snoozedUntil} />
                </Space>
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 1 }}
                  style={{ margin: 0, fontSize: 12 }}
                >
                  <RelativeTime value={c.lastMessageAt} />
                  {c.lastMessage ? ` · ${previewText(c.lastMessage)}` : ''}
                </Typography.Paragraph>
              </div>
            </List.Item>
          )}
        />
      )}
      {(result.total ?? 0) > 10 && (
        <Link to={`/contacts/${contactId}`}>All {result.total} on the contact's page</Link>
      )}
    </Card>
  )
}

// As the API's tag names (its OpenAPI `TAG`): checked here to say it plainly.
const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_\-.:]{0,49}$/u
const TAG_HINT = 'Letters, digits and _ - . : only (no spaces), at most 50'

export function TagsEditor({
  conversation,
  onChanged,
}: {
  conversation: Conversation
  onChanged: () => void
}) {
  const { mutate, mutation } = useCustomMutation<{ tags: string[] }>()
  const { tags: catalogue } = useTags(conversation.teamId)
  const [form] = Form.useForm<{ tag?: string }>()
  const [removing, setRemoving] = useState<string>()
  const current = conversation.tags ?? []

  const add = ({ tag }: { tag?: string }) => {
    const name = tag?.trim()
    if (!name) return
    if (!TAG.test(name)) {
      form.setFields([{ name: 'tag', errors: [TAG_HINT] }])
      return
    }
    mutate(
      {
        url: `/conversations/${conversation.id}/tags`,
        method: 'post',
        values: { tags: [name] },
        successNotification: false,
        errorNotification: false,
      },
      {
        onSuccess: () => {
          form.resetFields()
          onChanged()
        },
        // The API names `tags.0`: shown under the one input.
        onError: (error: HttpError) => {
          const invalid = error.errors?.['tags.0'] ?? error.errors?.tags
          form.setFields([{ name: 'tag', errors: [invalid ? TAG_HINT : error.message] }])
        },
      }
    )
  }

  const remove = (tag: string) => {
    setRemoving(tag)
    mutate(
      {
        url: `/conversations/${conversation.id}/tags/${encodeURIComponent(tag)}`,
        method: 'delete',
        values: {},
        successNotification: () => ({ type: 'success', message: `Removed #${tag}` }),
      },
      { onSuccess: () => onChanged(), onSettled: () => setRemoving(undefined) }
    )
  }

  const options = catalogue
    .map((t) => t.name!)
    .filter((name) => name && !current.includes(name))
    .map((name) => ({ value: name }))

  return (
    <div data-testid="conversation-tags">
      <Space size={[4, 6]} wrap style={{ marginBottom: 8 }}>
        {current.length === 0 && <Typography.Text type="secondary">No tags.</Typography.Text>}
        {current.map((tag) => (
          <Tag
            key={tag}
            closable={removing !== tag}
            onClose={(e) => {
              e.preventDefault()
              remove(tag)
            }}
            closeIcon={<span aria-label={`Remove tag ${tag}`}>×</span>}
          >
            #{tag}
          </Tag>
        ))}
      </Space>
      <Form form={form} onFinish={add} layout="inline" style={{ flexWrap: 'nowrap' }}>
        <Form.Item name="tag" style={{ flex: 1, marginInlineEnd: 6 }}>
          <AutoComplete
            aria-label="Add tag"
            placeholder="Add a tag"
            options={options}
            filterOption={(input, option) =>
              String(option?.value ?? '')
                .toLowerCase()
                .includes(input.toLowerCase())
            }
            onSelect={(value: string) => add({ tag: value })}
          />
        </Form.Item>
        <Button
          htmlType="submit"
          icon={<PlusOutlined />}
          loading={mutation.isPending && !removing}
          aria-label="Add the tag"
        />
      </Form>
    </div>
  )
}
