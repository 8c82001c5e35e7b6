import { useState } from 'react'
import { useUpdate, type HttpError } from '@refinedev/core'
import { Button, DatePicker, Form, Popover, Select, Space, Tooltip } from 'antd'
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  RedoOutlined,
  RobotOutlined,
  UserAddOutlined,
} from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import type { Conversation, User } from '../../api/types'
import { priorityOptions } from '../../components/conversation_labels'
import { userName } from '../../lib/lookups'

type Outcome = { onSuccess?: () => void; onError?: (error: HttpError) => void }

type Changes = Partial<{
  status: Conversation['status']
  snoozedUntil: string
  owner: Conversation['owner']
  assigneeId: number | null
  priority: Conversation['priority']
}>

/** The conversation's own actions: assign, resolve, snooze, reopen, back to bot, priority. */
export function ConversationActions({
  conversation,
  members,
  userById,
  meId,
  onChanged,
}: {
  conversation: Conversation
  members: User[]
  userById: Map<number, User>
  meId: number | undefined
  onChanged: () => void
}) {
  const { mutate, mutation } = useUpdate<Conversation, HttpError, Changes>()
  const [busy, setBusy] = useState<string>()
  const patch = (key: string, values: Changes, done: string, after: Outcome = {}) => {
    setBusy(key)
    mutate(
      {
        resource: 'conversations',
        id: conversation.id!,
        values,
        mutationMode: 'pessimistic',
        successNotification: () => ({ type: 'success', message: done }),
        errorNotification: (error) => ({
          type: 'error',
          message: 'That did not work',
          description: error?.message,
        }),
      },
      {
        onSuccess: () => {
          after.onSuccess?.()
          onChanged()
        },
        onError: (error) => after.onError?.(error),
        onSettled: () => setBusy(undefined),
      }
    )
  }
  const loading = (key: string) => mutation.isPending && busy === key

  const status = conversation.status
  const assigneeOptions = [
    ...(meId ? [{ value: meId, label: 'Me' }] : []),
    ...members
      .filter((m) => m.id !== meId && !m.disabled)
      .map((m) => ({ value: m.id!, label: userName(m) })),
  ]
  // The current assignee stays selectable even if they left the team.
  if (
    conversation.assigneeId &&
    !assigneeOptions.some((o) => o.value === conversation.assigneeId)
  ) {
    const known = userById.get(conversation.assigneeId)
    assigneeOptions.push({
      value: conversation.assigneeId,
      label: known ? userName(known) : `User #${conversation.assigneeId}`,
    })
  }

  return (
    <Space wrap size={[8, 8]} data-testid="conversation-actions">
      <Select
        aria-label="Assignee"
        data-testid="assign"
        style={{ minWidth: 170 }}
        placeholder="Unassigned"
        allowClear
        showSearch
        optionFilterProp="label"
        value={conversation.assigneeId ?? undefined}
        options={assigneeOptions}
        loading={loading('assign')}
        onChange={(value?: number) =>
          patch(
            'assign',
            { assigneeId: value ?? null },
            value
              ? `Assigned to ${value === meId ? 'you' : (assigneeOptions.find((o) => o.value === value)?.label ?? 'them')}`
              : 'Unassigned'
          )
        }
      />
      {conversation.assigneeId !== meId && meId && (
        <Button
          icon={<UserAddOutlined />}
          loading={loading('me')}
          onClick={() => patch('me', { assigneeId: meId }, 'Assigned to you')}
        >
          Assign to me
        </Button>
      )}
      {status !== 'resolved' ? (
        <Button
          type="primary"
          icon={<CheckCircleOutlined />}
          loading={loading('resolve')}
          onClick={() => patch('resolve', { status: 'resolved' }, 'Resolved')}
          data-testid="resolve"
        >
          Resolve
        </Button>
      ) : null}
      {status === 'resolved' || status === 'snoozed' ? (
        <Button
          icon={<RedoOutlined />}
          loading={loading('reopen')}
          onClick={() => patch('reopen', { status: 'open' }, 'Reopened')}
          data-testid="reopen"
        >
          Reopen
        </Button>
      ) : null}
      {status !== 'resolved' && (
        <SnoozeButton
          loading={loading('snooze')}
          onSnooze={(until, after) =>
            patch(
              'snooze',
              { status: 'snoozed', snoozedUntil: until.toISOString() },
              `Snoozed until ${until.format('D MMM, HH:mm')}`,
              after
            )
          }
        />
      )}
      {conversation.owner !== 'bot' && (
        <Tooltip title="The assistant answers again; the conversation is unassigned.">
          <Button
            icon={<RobotOutlined />}
            loading={loading('bot')}
            onClick={() =>
              patch('bot', { owner: 'bot', assigneeId: null }, 'Handed back to the bot')
            }
            data-testid="hand-to-bot"
          >
            Hand back to bot
          </Button>
        </Tooltip>
      )}
      <Select
        aria-label="Priority"
        data-testid="priority"
        style={{ width: 120 }}
        value={conversation.priority}
        options={priorityOptions}
        loading={loading('priority')}
        onChange={(priority) => patch('priority', { priority }, `Priority set to ${priority}`)}
      />
    </Space>
  )
}

const PRESETS: Array<{ label: string; value: () => Dayjs }> = [
  { label: 'In 1 hour', value: () => dayjs().add(1, 'hour') },
  { label: 'In 4 hours', value: () => dayjs().add(4, 'hour') },
  { label: 'Tomorrow, 9:00', value: () => dayjs().add(1, 'day').hour(9).minute(0).second(0) },
  {
    label: 'Next Monday, 9:00',
    value: () =>
      dayjs()
        .add((8 - dayjs().day()) % 7 || 7, 'day')
        .hour(9)
        .minute(0)
        .second(0),
  },
]

function SnoozeButton({
  loading,
  onSnooze,
}: {
  loading: boolean
  onSnooze: (until: Dayjs, after: Outcome) => void
}) {
  const [open, setOpen] = useState(false)
  const [form] = Form.useForm<{ snoozedUntil?: Dayjs }>()
  const submit = ({ snoozedUntil }: { snoozedUntil?: Dayjs }) => {
    if (!snoozedUntil) return
    onSnooze(snoozedUntil, {
      onSuccess: () => {
        setOpen(false)
        form.resetFields()
      },
      // The API's message lands under the picker.
      onError: (error) => {
        const messages = error.errors?.snoozedUntil ?? error.errors?.status
        form.setFields([
          {
            name: 'snoozedUntil',
            errors: messages
              ? ([] as string[]).concat(messages as string | string[])
              : [error.message ?? 'Could not snooze'],
          },
        ])
      },
    })
  }
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      title="Snooze until"
      content={
        <Form form={form} layout="vertical" onFinish={submit} style={{ width: 260 }}>
          <Space wrap size={4} style={{ marginBottom: 8 }}>
            {PRESETS.map((p) => (
              <Button
                key={p.label}
                size="small"
                onClick={() => form.setFieldsValue({ snoozedUntil: p.value() })}
              >
                {p.label}
              </Button>
            ))}
          </Space>
          <Form.Item
            name="snoozedUntil"
            rules={[{ required: true, message: 'Choose when it comes back' }]}
            style={{ marginBottom: 8 }}
          >
            <DatePicker
              aria-label="Snooze until"
              showTime={{ format: 'HH:mm' }}
              format="D MMM YYYY, HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              getPopupContainer={(node) => node.parentElement ?? document.body}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={loading}
            data-testid="snooze-confirm"
          >
            Snooze
          </Button>
        </Form>
      }
    >
      <Button icon={<ClockCircleOutlined />} data-testid="snooze">
        Snooze
      </Button>
    </Popover>
  )
}
