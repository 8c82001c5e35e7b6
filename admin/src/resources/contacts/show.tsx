import { useShow, type HttpError } from '@refinedev/core'
import { Show, useTable } from '@refinedev/antd'
import { Link, useParams } from 'react-router'
import { Alert, Card, Col, Descriptions, Empty, Row, Table, Tag, Typography } from 'antd'
import type { Contact, Conversation } from '../../api/types'
import { OwnerTag, StatusTag } from '../../components/conversation_labels'
import { RelativeTime } from '../../components/relative_time'
import { dateTime } from '../../lib/format'
import { useTeams } from '../../lib/lookups'
import { previewText } from '../conversations/parts'
import { NotFound } from '../../components/not_found'

function attributeText(value: unknown): string {
  if (value === null || value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export default function ContactShow() {
  const { id } = useParams()
  const valid = /^[1-9]\d{0,8}$/.test(id ?? '')
  if (!valid) return <NotFound />
  return <ContactView id={Number(id)} />
}

function ContactView({ id }: { id: number }) {
  const { result: contact, query } = useShow<Contact, HttpError>({
    resource: 'contacts',
    id,
    liveMode: 'off',
    errorNotification: false,
    queryOptions: { retry: (count, error) => error?.statusCode !== 404 && count < 2 },
  })
  const { teamById } = useTeams()

  if (query.error?.statusCode === 404) return <NotFound />

  const attributes = Object.entries((contact?.attributes ?? {}) as Record<string, unknown>)
  return (
    <Show
      title={contact?.name || (contact ? `Contact #${contact.id}` : 'Contact')}
      isLoading={query.isLoading}
      canDelete
      deleteButtonProps={{
        confirmTitle: 'Delete this contact and all their conversations?',
        confirmOkText: 'Delete',
      }}
    >
      {query.isError && (
        <Alert
          type="error"
          showIcon
          message="The contact could not be loaded"
          description={query.error?.message}
        />
      )}
      {contact && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card size="small" title="Details">
              {contact.unreachableAt && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 8 }}
                  message={`Unreachable since ${dateTime(contact.unreachableAt)}`}
                />
              )}
              <Descriptions size="small" column={1} data-testid="contact-details">
                <Descriptions.Item label="Name">{contact.name || '—'}</Descriptions.Item>
                <Descriptions.Item label="Email">
                  {contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : '—'}
                </Descriptions.Item>
                <Descriptions.Item label="Phone">{contact.phone || '—'}</Descriptions.Item>
                <Descriptions.Item label="Language">{contact.locale || '—'}</Descriptions.Item>
                <Descriptions.Item label="Team">
                  {teamById.get(contact.teamId!)?.name ?? `Team ${contact.teamId}`}
                </Descriptions.Item>
                <Descriptions.Item label="Added">{dateTime(contact.createdAt)}</Descriptions.Item>
              </Descriptions>
            </Card>
            <Card size="small" title="Attributes" style={{ marginTop: 16 }}>
              {attributes.length ? (
                <Descriptions size="small" column={1}>
                  {attributes.map(([key, value]) => (
                    <Descriptions.Item key={key} label={key}>
                      <span style={{ overflowWrap: 'anywhere' }}>{attributeText(value)}</span>
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              ) : (
                <Typography.Text type="secondary">
                  None. Edit the contact to add some (plan, account id, …).
                </Typography.Text>
              )}
            </Card>
            <Card size="small" title="Identities" style={{ marginTop: 16 }}>
              {contact.identities?.length ? (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={contact.identities}
                  columns={[
                    { title: 'Platform', dataIndex: 'platform', render: (v) => <Tag>{v}</Tag> },
                    {
                      title: 'Platform id',
                      dataIndex: 'externalId',
                      render: (v) => <Typography.Text copyable>{v}</Typography.Text>,
                    },
                    {
                      title: 'Username',
                      dataIndex: 'username',
                      render: (v) => (v ? `@${v}` : '—'),
                    },
                  ]}
                />
              ) : (
                <Typography.Text type="secondary">
                  No platform identities: this contact was added by hand or through the API.
                </Typography.Text>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <ContactConversations contactId={contact.id!} />
          </Col>
        </Row>
      )}
    </Show>
  )
}

function ContactConversations({ contactId }: { contactId: number }) {
  const { tableProps } = useTable<Conversation>({
    resource: 'conversations',
    syncWithLocation: false,
    pagination: { pageSize: 10 },
    filters: { permanent: [{ field: 'contactId', operator: 'eq', value: contactId }] },
    sorters: { initial: [{ field: 'lastMessageAt', order: 'desc' }] },
  })
  return (
    <Card size="small" title="Conversations" data-testid="contact-conversations">
      <Table<Conversation>
        {...tableProps}
        rowKey="id"
        size="small"
        scroll={{ x: 520 }}
        locale={{ emptyText: <Empty description="No conversations with this contact yet." /> }}
      >
        <Table.Column<Conversation>
          title="Conversation"
          key="id"
          render={(_, c) => (
            <div style={{ maxWidth: 360 }}>
              <Link to={`/conversations/${c.id}`}>Conversation #{c.id}</Link>
              <Typography.Paragraph
                type="secondary"
                ellipsis={{ rows: 1 }}
                style={{ margin: 0, fontSize: 12 }}
              >
                {c.lastMessage ? previewText(c.lastMessage) : 'No messages yet'}
              </Typography.Paragraph>
            </div>
          )}
        />
        <Table.Column<Conversation>
          title="State"
          key="state"
          render={(_, c) => (
            <>
              <StatusTag status={c.status} snoozedUntil={c.snoozedUntil} />
              <OwnerTag owner={c.owner} />
            </>
          )}
        />
        <Table.Column<Conversation>
          title="Last activity"
          key="lastMessageAt"
          render={(_, c) => <RelativeTime value={c.lastMessageAt} />}
        />
      </Table>
    </Card>
  )
}
