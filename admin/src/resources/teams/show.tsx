import { DeleteButton, EditButton, Show } from '@refinedev/antd'
import { useCan, useShow, type HttpError } from '@refinedev/core'
import { Alert, Descriptions, Tabs, Typography } from 'antd'
import { useSearchParams } from 'react-router'
import type { Team } from '../../api/types'
import { dateTime } from '../../lib/format'
import { LoadError } from '../../components/not_found'
import { TeamMembers } from './members'
import { BusinessHoursForm } from './hours'
import { AssistantForm } from './assistant'
import { MessagesForm } from './messages'

const TABS = ['members', 'hours', 'assistant', 'messages'] as const

/** A team: who is in it and how it answers (hours, assistant, canned texts). */
export default function TeamShow() {
  const { query, result: team } = useShow<Team, HttpError>({ resource: 'teams' })
  const { data: canEdit } = useCan({ resource: 'teams', action: 'edit', params: { id: team?.id } })
  const [params, setParams] = useSearchParams()
  const tab = TABS.find((t) => t === params.get('tab')) ?? 'members'
  const editable = canEdit?.can ?? false

  if (query.error) return <LoadError error={query.error} />

  return (
    <Show
      isLoading={query.isLoading}
      title={team?.name ?? 'Team'}
      headerButtons={
        team && (
          <>
            <EditButton recordItemId={team.id} data-testid="team-edit">
              Rename
            </EditButton>
            <DeleteButton
              recordItemId={team.id}
              data-testid="team-delete"
              confirmTitle={`Delete the team “${team.name}”? Its channels must be moved or deleted first.`}
              confirmOkText="Delete"
            />
          </>
        )
      }
    >
      {team && (
        <>
          <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="Description" span={2}>
              {team.description || <Typography.Text type="secondary">None</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="Created">{dateTime(team.createdAt)}</Descriptions.Item>
          </Descriptions>
          {!editable && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              message="You can see this team's settings; its supervisors and admins change them."
            />
          )}
          <Tabs
            activeKey={tab}
            onChange={(key) =>
              setParams(
                (prev) => {
                  prev.set('tab', key)
                  return prev
                },
                { replace: true }
              )
            }
            items={[
              {
                key: 'members',
                label: <span data-testid="team-tab-members">Members</span>,
                children: <TeamMembers team={team} editable={editable} />,
              },
              {
                key: 'hours',
                label: <span data-testid="team-tab-hours">Business hours</span>,
                children: <BusinessHoursForm team={team} editable={editable} />,
              },
              {
                key: 'assistant',
                label: <span data-testid="team-tab-assistant">Assistant</span>,
                children: <AssistantForm team={team} editable={editable} />,
              },
              {
                key: 'messages',
                label: <span data-testid="team-tab-messages">Customer messages</span>,
                children: <MessagesForm team={team} editable={editable} />,
              },
            ]}
          />
        </>
      )}
    </Show>
  )
}
