import { useMemo } from 'react'
import dayjs from 'dayjs'
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd'
import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import type { Schemas, Team } from '../../api/types'
import { browserTimeZone, date } from '../../lib/format'
import { useTeamSettingsForm } from './settings_form'

type BusinessHours = Schemas['BusinessHours']
type Day = keyof BusinessHours['weekly']

const DAYS: { key: Day; label: string }[] = [
  { key: 'mon', label: 'Monday' },
  { key: 'tue', label: 'Tuesday' },
  { key: 'wed', label: 'Wednesday' },
  { key: 'thu', label: 'Thursday' },
  { key: 'fri', label: 'Friday' },
  { key: 'sat', label: 'Saturday' },
  { key: 'sun', label: 'Sunday' },
]
const PATH = ['settings', 'businessHours'] as const
const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/

// Quarter hours; "24:00" closes at midnight.
const TIMES = Array.from({ length: 97 }, (_, i) => {
  const h = Math.floor(i / 4)
  const m = (i % 4) * 15
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
})

const ZONES: string[] = (() => {
  const all = (Intl as any).supportedValuesOf?.('timeZone') as string[] | undefined
  const zones = all?.length ? [...all] : [browserTimeZone]
  if (!zones.includes('UTC')) zones.unshift('UTC')
  return zones
})()

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

/** A further span after `last`: an hour's break, then up to four hours. */
function nextSpan(last: string | undefined): string {
  if (!last || !SPAN.test(last)) return '09:00-17:00'
  const start = minutes(last.split('-')[1]) + 60
  if (start >= 24 * 60) return '09:00-17:00'
  return `${clock(start)}-${clock(Math.min(24 * 60, start + 4 * 60))}`
}

function defaultHours(): BusinessHours {
  const day = ['09:00-17:00']
  return {
    timezone: browserTimeZone,
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
    holidays: [],
  }
}

/** Whether the calendar is open right now: the rule the server applies, in its zone. */
function openNow(hours: BusinessHours | null | undefined): { open: boolean; local: string } | null {
  if (!hours?.timezone) return null
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: hours.timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date())
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
    const day = part('weekday').toLowerCase().slice(0, 3) as Day
    const today = `${part('year')}-${part('month')}-${part('day')}`
    const now = Number(part('hour')) * 60 + Number(part('minute'))
    const local = `${part('weekday')} ${part('hour')}:${part('minute')}`
    if (hours.holidays?.includes(today)) return { open: false, local }
    const open = (hours.weekly?.[day] ?? []).some((span) => {
      if (!SPAN.test(span ?? '')) return false
      const [from, to] = span.split('-')
      return now >= minutes(from) && now < minutes(to)
    })
    return { open, local }
  } catch {
    return null
  }
}

/** One opening span, "09:00-17:30", as two time pickers. */
function SpanInput({
  value,
  onChange,
  dayLabel,
  index,
  disabled,
  testId,
}: {
  value?: string
  onChange?: (value: string) => void
  dayLabel: string
  index: number
  disabled?: boolean
  testId: string
}) {
  const [from, to] = (value ?? '09:00-17:00').split('-')
  const options = (extra: string, list: string[]) =>
    (list.includes(extra) ? list : [...list, extra].sort()).map((t) => ({ value: t, label: t }))
  return (
    <Space.Compact>
      <Select
        showSearch
        value={from}
        disabled={disabled}
        options={options(from, TIMES.slice(0, 96))}
        onChange={(v) => onChange?.(`${v}-${to}`)}
        aria-label={`${dayLabel} hours ${index + 1} open at`}
        data-testid={`${testId}-from`}
        style={{ width: 96 }}
      />
      <Select
        showSearch
        value={to}
        disabled={disabled}
        options={options(to, TIMES.slice(1))}
        onChange={(v) => onChange?.(`${from}-${v}`)}
        aria-label={`${dayLabel} hours ${index + 1} close at`}
        data-testid={`${testId}-to`}
        style={{ width: 96 }}
      />
    </Space.Compact>
  )
}

/** Dates the team is closed all day, added with a date picker. */
function HolidaysInput({
  value,
  onChange,
  disabled,
}: {
  value?: string[]
  onChange?: (value: string[]) => void
  disabled?: boolean
}) {
  const days = [...(value ?? [])].sort()
  const today = dayjs().format('YYYY-MM-DD')
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!disabled && (
        <DatePicker
          placeholder="Add a closed day"
          aria-label="Add a holiday"
          data-testid="hours-holiday-add"
          value={null}
          onChange={(d: dayjs.Dayjs | null) => {
            if (!d) return
            const day = d.format('YYYY-MM-DD')
            if (!days.includes(day)) onChange?.([...days, day].sort())
          }}
        />
      )}
      {days.length === 0 ? (
        <Typography.Text type="secondary">No holidays.</Typography.Text>
      ) : (
        <Space wrap size={[4, 8]} data-testid="hours-holidays">
          {days.map((day) => (
            <Tag
              key={day}
              closable={!disabled}
              color={day < today ? undefined : 'orange'}
              onClose={(e) => {
                e.preventDefault()
                onChange?.(days.filter((d) => d !== day))
              }}
              closeIcon={<DeleteOutlined aria-label={`Remove holiday ${day}`} />}
            >
              {date(day)}
            </Tag>
          ))}
        </Space>
      )}
    </Space>
  )
}

export function BusinessHoursForm({ team, editable }: { team: Team; editable: boolean }) {
  const { formProps, saveButtonProps, form, formLoading } = useTeamSettingsForm(
    team,
    'Business hours'
  )
  const hours = Form.useWatch([...PATH], { form, preserve: true }) as
    BusinessHours | null | undefined
  const enabled = hours !== null && hours !== undefined
  const status = useMemo(() => openNow(hours), [hours])

  const toggle = (on: boolean) => {
    form.setFieldValue([...PATH], on ? (team.settings?.businessHours ?? defaultHours()) : null)
    // Counts as a change for the unsaved-changes warning.
    formProps.onValuesChange?.({ settings: { businessHours: null } }, form.getFieldsValue(true))
  }

  const copyMonday = () => {
    const monday = form.getFieldValue([...PATH, 'weekly', 'mon']) ?? []
    for (const day of ['tue', 'wed', 'thu', 'fri'] as Day[]) {
      form.setFieldValue([...PATH, 'weekly', day], [...monday])
    }
    formProps.onValuesChange?.({ settings: {} }, form.getFieldsValue(true))
  }

  const submit = () => {
    const current = form.getFieldValue([...PATH]) as BusinessHours | null | undefined
    if (!current) return formProps.onFinish?.({ settings: { businessHours: null } })
    const weekly = Object.fromEntries(
      DAYS.map(({ key }) => [key, (current.weekly?.[key] ?? []).filter(Boolean)])
    )
    return formProps.onFinish?.({
      settings: {
        businessHours: {
          timezone: current.timezone,
          weekly,
          holidays: [...(current.holidays ?? [])].sort(),
        },
      },
    })
  }

  return (
    <Form
      {...formProps}
      onFinish={submit}
      layout="vertical"
      disabled={!editable}
      style={{ maxWidth: 820 }}
      data-testid="hours-form"
    >
      <Typography.Paragraph type="secondary">
        Rules use these hours (the “business hours” condition), for example to tell customers
        writing at night when someone will answer. Without hours the team counts as always open.
      </Typography.Paragraph>
      <Form.Item label="Use business hours">
        <Switch
          checked={enabled}
          onChange={toggle}
          aria-label="Use business hours"
          data-testid="hours-enabled"
        />
      </Form.Item>
      {!enabled ? (
        <Alert
          type="info"
          showIcon
          message="Always open: no rule treats any time as after hours."
        />
      ) : (
        <>
          <Form.Item
            label="Time zone"
            name={[...PATH, 'timezone']}
            rules={[{ required: true, message: 'Choose the time zone the hours are in' }]}
            extra={
              status && (
                <span data-testid="hours-now">
                  Now there: {status.local} —{' '}
                  {status.open ? (
                    <Typography.Text type="success">open</Typography.Text>
                  ) : (
                    <Typography.Text type="warning">closed</Typography.Text>
                  )}
                </span>
              )
            }
          >
            <Select
              showSearch
              options={ZONES.map((z) => ({ value: z, label: z.replaceAll('_', ' ') }))}
              aria-label="Time zone"
              data-testid="hours-timezone"
              style={{ maxWidth: 320 }}
            />
          </Form.Item>
          <Card
            size="small"
            title="Weekly hours"
            extra={
              editable && (
                <Button
                  size="small"
                  icon={<CopyOutlined />}
                  onClick={copyMonday}
                  data-testid="hours-copy-monday"
                >
                  Copy Monday to Tue–Fri
                </Button>
              )
            }
            style={{ marginBottom: 16 }}
          >
            {DAYS.map(({ key, label }) => (
              <Form.List key={key} name={[...PATH, 'weekly', key]}>
                {(fields, { add, remove }, { errors }) => (
                  <div
                    style={{
                      display: 'flex',
                      gap: 16,
                      alignItems: 'flex-start',
                      padding: '8px 0',
                      borderBottom: '1px solid #f5f5f5',
                    }}
                    data-testid={`hours-day-${key}`}
                  >
                    <Typography.Text strong style={{ width: 100, paddingTop: 5 }}>
                      {label}
                    </Typography.Text>
                    <Space direction="vertical" size={4} style={{ flex: 1 }}>
                      {fields.length === 0 && (
                        <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
                          Closed
                        </Typography.Text>
                      )}
                      {fields.map((field, index) => (
                        <Space key={field.key} align="start">
                          <Form.Item
                            name={field.name}
                            style={{ marginBottom: 0 }}
                            rules={[
                              {
                                validator: (_, value: string) => {
                                  if (!value || !SPAN.test(value))
                                    return Promise.reject(new Error('Choose the hours'))
                                  const [from, to] = value.split('-')
                                  return minutes(to) > minutes(from)
                                    ? Promise.resolve()
                                    : Promise.reject(new Error('Closes before it opens'))
                                },
                              },
                            ]}
                          >
                            <SpanInput
                              dayLabel={label}
                              index={index}
                              disabled={!editable}
                              testId={`hours-${key}-${index}`}
                            />
                          </Form.Item>
                          {editable && (
                            <Button
                              type="text"
                              icon={<DeleteOutlined />}
                              onClick={() => remove(field.name)}
                              aria-label={`Remove ${label} hours ${index + 1}`}
                              data-testid={`hours-${key}-${index}-remove`}
                            />
                          )}
                        </Space>
                      ))}
                      {editable && fields.length < 8 && (
                        <Button
                          size="small"
                          type={fields.length ? 'dashed' : 'default'}
                          icon={<PlusOutlined />}
                          onClick={() => {
                            const last = form.getFieldValue([
                              ...PATH,
                              'weekly',
                              key,
                              fields.length - 1,
                            ])
                            add(nextSpan(last))
                          }}
                          data-testid={`hours-${key}-add`}
                          aria-label={`Add hours on ${label}`}
                        >
                          {fields.length ? 'Add hours' : 'Open this day'}
                        </Button>
                      )}
                      <Form.ErrorList errors={errors} />
                    </Space>
                  </div>
                )}
              </Form.List>
            ))}
          </Card>
          <Form.Item
            label="Holidays"
            name={[...PATH, 'holidays']}
            extra="Closed all day on these dates, in the team's time zone."
          >
            <HolidaysInput disabled={!editable} />
          </Form.Item>
        </>
      )}
      {editable && (
        <Button type="primary" {...saveButtonProps} loading={formLoading} data-testid="hours-save">
          Save business hours
        </Button>
      )}
      {!editable && !enabled && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No hours set" />
      )}
    </Form>
  )
}
