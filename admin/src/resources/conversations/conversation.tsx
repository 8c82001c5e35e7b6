import { useEffect, useMemo, useState } from 'react'
import {
  useCustomMutation,
  useGetIdentity,
  useInfiniteList,
  useOne,
  type HttpError,
} from '@refinedev/core'
import { Link, useParams } from 'react-router'
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Grid,
  Result,
  Row,
  Skeleton,
  Space,
  Typography,
} from 'antd'
import { ArrowLeftOutlined } from '@ant-design/icons'
import type { Conversation, Message } from '../../api/types'
import { OwnerTag, PriorityTag, StatusTag } from '../../components/conversation_labels'
import { RelativeTime } from '../../components/relative_time'
import { dateTime } from '../../lib/format'
import { useChannels, useTeamMembers, useTeams, useUsers } from '../../lib/lookups'
import { onLive } from '../../providers/live_provider'
import { ConversationActions } from './actions'
import { ReplyBox } from './reply_box'
import { ContactCard, PastConversations, TagsEditor } from './side_panel'
import { Timeline } from './timeline'
import { NotFound } from '../../components/not_found'

const PAGE_SIZE = 50

export default function ConversationPage() {
  const { id: param } = useParams()
  const id = /^[1-9]\d{0,8}$/.test(param ?? '') ? Number(param) : undefined
  if (!id) return <NotFound />
  return <ConversationView key={id} id={id} />
}

function ConversationView({ id }: { id: number }) {
  const screens = Grid.useBreakpoint()
  const { data: me } = useGetIdentity<{ id: number }>()
  const [version, setVersion] = useState(0)

  const { result: conversation, query } = useOne<Conversation, HttpError>({
    resource: 'conversations',
    id,
    liveMode: 'off',
    // Another team's conversation is a 404: shown as a page, not a toast.
    errorNotification: false,
    queryOptions: { retry: (count, error) => error?.statusCode !== 404 && count < 2 },
  })

  const messagesQuery = useInfiniteList<Message, HttpError>({
    resource: 'messages',
    meta: { path: `conversations/${id}/messages` },
    pagination: { pageSize: PAGE_SIZE },
    sorters: [{ field: 'id', order: 'desc' }],
    liveMode: 'off',
    errorNotification: false,
    queryOptions: { enabled: !!conversation?.id },
  })
  const pages = messagesQuery.result.data?.pages
  const messages = useMemo(() => {
    const byId = new Map<number, Message>()
    for (const page of pages ?? []) for (const m of page.data) if (m.id) byId.set(m.id, m)
    return [...byId.values()].sort((a, b) => a.id! - b.id!)
  }, [pages])

  const refresh = () => {
    void query.refetch()
    void messagesQuery.query.refetch()
    setVersion((v) => v + 1)
  }

  // Live: this conversation's messages and changes, as they happen.
  useEffect(
    () =>
      onLive(['conversations', 'messages'], (event) => {
        const payload = event.payload as { conversationId?: number }
        if (payload?.conversationId === id) refresh()
      }),
    [id]
  )

  const { userById } = useUsers()
  const { teamById } = useTeams()
  const { channelById } = useChannels()
  const { members } = useTeamMembers(conversation?.teamId)

  const { mutate: retry, mutation: retrying } = useCustomMutation<Message>()
  const [retryingId, setRetryingId] = useState<number>()
  const onRetry = (m: Message) => {
    setRetryingId(m.id)
    retry(
      {
        url: `/messages/${m.id}/retry`,
        method: 'post',
        values: {},
        successNotification: () => ({ type: 'success', message: 'Queued for delivery again' }),
      },
      { onSettled: () => (setRetryingId(undefined), void messagesQuery.query.refetch()) }
    )
  }

  if (query.error?.statusCode === 404) return <NotFound />
  if (query.isError) {
    return (
      <Result
        status="error"
        title="This conversation could not be loaded"
        subTitle={query.error?.message}
        extra={<Button onClick={() => query.refetch()}>Try again</Button>}
      />
    )
  }
  if (query.isLoading || !conversation?.id) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }

  const contactName = conversation.contact?.name || `Contact #${conversation.contactId}`
  const team = teamById.get(conversation.teamId!)
  const channel = conversation.channelId ? channelById.get(conversation.channelId) : undefined
  const wide = !!screens.lg

  return (
    <div data-testid="conversation-page">
      <Space align="center" wrap style={{ marginBottom: 8 }}>
        <Link
          to="/conversations"
          aria-label="Back to the inbox"
          style={{ fontSize: 18, padding: 4 }}
        >
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {contactName}
        </Typography.Title>
        <Space size={0} wrap data-testid="conversation-state">
          <StatusTag status={conversation.status} snoozedUntil={conversation.snoozedUntil} />
          <OwnerTag owner={conversation.owner} />
          <PriorityTag priority={conversation.priority} />
        </Space>
      </Space>
      {conversation.subject && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {conversation.subject}
        </Typography.Paragraph>
      )}
      <div style={{ marginBottom: 12 }}>
        <ConversationActions
          conversation={conversation}
          members={members}
          userById={userById}
          meId={me?.id}
          onChanged={refresh}
        />
      </div>
      {conversation.owner === 'queued' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="handoff-banner"
          message={
            conversation.handoffReason
              ? `Waiting for a person — ${conversation.handoffReason}`
              : 'Waiting for a person: the assistant handed this conversation to your team.'
          }
        />
      )}
      {conversation.status === 'snoozed' && conversation.snoozedUntil && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`Snoozed until ${dateTime(conversation.snoozedUntil)}; a new message from the customer wakes it.`}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small" styles={{ body: { padding: wide ? 16 : 10 } }}>
            <Timeline
              messages={messages}
              loading={messagesQuery.query.isLoading}
              error={messagesQuery.query.error}
              hasOlder={!!messagesQuery.result.hasNextPage}
              loadingOlder={messagesQuery.query.isFetchingNextPage}
              onLoadOlder={() => void messagesQuery.query.fetchNextPage()}
              contactName={contactName}
              userById={userById}
              onRetry={onRetry}
              retryingId={retrying.isPending ? retryingId : undefined}
              scroll={wide ? 'max(280px, calc(100vh - 430px))' : undefined}
            />
            <ReplyBox
              conversationId={conversation.id}
              hasChannel={!!conversation.channelId}
              onSent={refresh}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <ContactCard contactId={conversation.contactId!} refreshKey={version} />
            <Card size="small" title="Details" data-testid="conversation-details">
              <Descriptions size="small" column={1}>
                <Descriptions.Item label="Team">
                  {team?.name ?? `Team ${conversation.teamId}`}
                </Descriptions.Item>
                <Descriptions.Item label="Channel">
                  {conversation.channelId
                    ? channel
                      ? `${channel.name} (${channel.platform})`
                      : `Channel ${conversation.channelId}`
                    : 'None'}
                </Descriptions.Item>
                <Descriptions.Item label="Started">
                  <RelativeTime value={conversation.createdAt} />
                </Descriptions.Item>
                <Descriptions.Item label="Last activity">
                  <RelativeTime value={conversation.lastMessageAt} />
                </Descriptions.Item>
                <Descriptions.Item label="Messages">
                  {conversation.messageCount ?? 0}
                </Descriptions.Item>
                {conversation.resolvedAt && (
                  <Descriptions.Item label="Resolved">
                    {dateTime(conversation.resolvedAt)}
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
                Tags
              </Typography.Text>
              <TagsEditor conversation={conversation} onChanged={refresh} />
            </Card>
            <PastConversations
              contactId={conversation.contactId!}
              currentId={conversation.id}
              refreshKey={version}
            />
          </Space>
        </Col>
      </Row>
    </div>
  )
}
