import { DeleteButton, EditButton, Show } from '@refinedev/antd'
import { useShow, type HttpError } from '@refinedev/core'
import { Alert, Card, Descriptions, Space } from 'antd'
import { useTeams } from '../../lib/lookups'
import { dateTime } from '../../lib/format'
import { LoadError } from '../../components/not_found'
import { ChannelEndpoints } from './endpoints'
import { ChannelStatus, PlatformTag, StartStopButton, type Channel } from './shared'

export default function ChannelShow() {
  const { query, result: channel } = useShow<Channel, HttpError>({
    resource: 'channels',
    queryOptions: { refetchInterval: 5000 },
  })
  const { nameOf } = useTeams()

  if (query.error) return <LoadError error={query.error} />

  return (
    <Show
      isLoading={query.isLoading}
      title={channel?.name ?? 'Channel'}
      headerButtons={
        channel && (
          <Space>
            <StartStopButton channel={channel} />
            <EditButton recordItemId={channel.id} data-testid="channel-edit" />
            <DeleteButton
              recordItemId={channel.id}
              data-testid="channel-delete"
              confirmTitle={`Delete ${channel.name}? Customers can no longer reach you through it; its conversations stay.`}
              confirmOkText="Delete"
            />
          </Space>
        )
      }
    >
      {channel && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          {channel.status === 'error' && (
            <Alert
              type="error"
              showIcon
              message="The channel reported a problem"
              description={channel.statusDetail ?? 'No detail given.'}
              data-testid="channel-error"
            />
          )}
          <Descriptions column={2} size="small">
            <Descriptions.Item label="Platform">
              <PlatformTag platform={channel.platform} />
            </Descriptions.Item>
            <Descriptions.Item label="Team">{nameOf(channel.teamId)}</Descriptions.Item>
            <Descriptions.Item label="Status">
              <ChannelStatus channel={channel} detail={channel.status !== 'error'} />
            </Descriptions.Item>
            <Descriptions.Item label="Created">{dateTime(channel.createdAt)}</Descriptions.Item>
          </Descriptions>
          <Card size="small" title={channel.platform === 'api' ? 'Connect your app' : 'Telegram'}>
            <ChannelEndpoints channel={channel} />
          </Card>
        </Space>
      )}
    </Show>
  )
}
