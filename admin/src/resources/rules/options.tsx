/*
| One input per option descriptor of GET /rules/schema: enum → Select,
| integer → InputNumber, boolean → Switch, string[] → tags, cron, timezone,
| duration, URL, and texts with placeholders. Nothing here knows a trigger
| or an action by name.
*/
import { useRef } from 'react'
import { Button, Dropdown, Form, Input, InputNumber, Select, Switch, Typography } from 'antd'
import type { TextAreaRef } from 'antd/es/input/TextArea'
import { useTeamMembers, useTeams } from './data'
import { humanize, isRequired, type NamePath, type RuleOption, type RuleSchema } from './rule_form'

export type Variables = Array<{ name: string; label: string }>

const LABELS: Record<string, string> = { userId: 'Member', teamId: 'Team', for: 'For how long' }

export function optionLabel(option: RuleOption): string {
  return LABELS[option.name] ?? humanize(option.name)
}

const choiceLabel = (value: unknown) =>
  typeof value === 'string' ? humanize(value) : String(value)

let zones: string[] | undefined
function timeZones(): string[] {
  zones ??= (() => {
    try {
      return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(
        'timeZone'
      )
    } catch {
      return ['UTC']
    }
  })()
  return zones
}

/** The placeholders a text may use: the schema's, and the trigger's own event data. */
export function templateVariables(
  schema: RuleSchema,
  trigger?: RuleSchema['triggers'][number]
): Variables {
  const listed = (schema.templates?.variables ?? []).map((v) => ({
    name: v.name ?? '',
    label: v.label ?? v.name ?? '',
  }))
  const events = (trigger?.eventFields ?? []).map((f) => ({
    name: f.name ?? '',
    label: f.description ?? f.name ?? '',
  }))
  return [...listed, ...events].filter((v) => v.name)
}

/** A text with `{{placeholders}}`: the variables one click away. */
function TemplateText(props: {
  value?: string
  onChange?: (value: string) => void
  maxLength?: number
  variables: Variables
  id?: string
  testId: string
  label: string
}) {
  const ref = useRef<TextAreaRef>(null)
  const insert = (name: string) => {
    const text = props.value ?? ''
    const area = ref.current?.resizableTextArea?.textArea
    const at = area ? area.selectionStart : text.length
    const end = area ? area.selectionEnd : text.length
    props.onChange?.(`${text.slice(0, at)}{{${name}}}${text.slice(end)}`)
    requestAnimationFrame(() => area?.focus())
  }
  return (
    <div>
      <Input.TextArea
        ref={ref}
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange?.(e.target.value)}
        autoSize={{ minRows: 2, maxRows: 8 }}
        maxLength={props.maxLength}
        showCount={!!props.maxLength}
        placeholder="Hi {{contact.first_name | there}}, ..."
        data-testid={props.testId}
        aria-label={props.label}
      />
      <Dropdown
        trigger={['click']}
        menu={{
          style: { maxHeight: 320, overflowY: 'auto' },
          items: props.variables.map((v) => ({
            type: 'item' as const,
            key: v.name,
            label: (
              <span>
                {v.label} <Typography.Text type="secondary" code>{`{{${v.name}}}`}</Typography.Text>
              </span>
            ),
          })),
          onClick: ({ key }) => insert(key),
        }}
      >
        <Button size="small" type="link" style={{ paddingInline: 0 }}>
          Insert a variable
        </Button>
      </Dropdown>
      <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
        {'{{name | fallback}}'} when it may be empty
      </Typography.Text>
    </div>
  )
}

function MemberSelect(props: {
  value?: number
  onChange?: (v: number | undefined) => void
  teamId?: number
  id?: string
  testId: string
  allowClear: boolean
}) {
  const members = useTeamMembers(props.teamId)
  return (
    <Select
      id={props.id}
      value={props.value}
      onChange={props.onChange}
      allowClear={props.allowClear}
      loading={members.isLoading}
      showSearch
      optionFilterProp="label"
      placeholder={props.teamId ? 'Pick a member of the team' : 'Pick the team first'}
      options={(members.data ?? []).map((u) => ({
        value: u.id,
        label: u.fullName ? `${u.fullName} (${u.email})` : (u.email ?? `#${u.id}`),
      }))}
      notFoundContent={members.isLoading ? 'Loading…' : 'No members'}
      data-testid={props.testId}
      style={{ width: 320, maxWidth: '100%' }}
    />
  )
}

export function TeamSelect(props: {
  value?: number
  onChange?: (v: number | undefined) => void
  id?: string
  testId: string
  allowClear?: boolean
  style?: React.CSSProperties
}) {
  const teams = useTeams()
  return (
    <Select
      id={props.id}
      value={props.value}
      onChange={props.onChange}
      allowClear={props.allowClear}
      loading={teams.isLoading}
      showSearch
      optionFilterProp="label"
      placeholder="Pick a team"
      options={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name ?? `#${t.id}` }))}
      data-testid={props.testId}
      style={props.style}
    />
  )
}

/** The input an option descriptor asks for. `value`/`onChange` come from the Form.Item. */
export function OptionInput(props: {
  option: RuleOption
  required: boolean
  teamId?: number
  variables: Variables
  testId: string
  id?: string
  value?: any
  onChange?: (value: any) => void
}) {
  const { option, testId, id, value, onChange } = props
  const label = optionLabel(option)
  const common = { id, value, onChange, 'data-testid': testId, 'aria-label': label }
  const choices = option.enum
  if (option.ref === 'user') {
    return (
      <MemberSelect
        id={id}
        value={value}
        onChange={onChange}
        teamId={props.teamId}
        testId={testId}
        allowClear={!props.required}
      />
    )
  }
  if (option.ref === 'team') {
    return (
      <TeamSelect
        id={id}
        value={value}
        onChange={onChange}
        testId={testId}
        allowClear={!props.required}
      />
    )
  }
  switch (option.type) {
    case 'boolean':
      return (
        <Switch
          id={id}
          checked={!!value}
          onChange={onChange}
          data-testid={testId}
          aria-label={label}
        />
      )
    case 'integer':
    case 'number':
      return (
        <InputNumber
          {...common}
          min={option.min}
          max={option.max}
          precision={option.type === 'integer' ? 0 : undefined}
          style={{ width: 200 }}
        />
      )
    case 'enum':
      return (
        <Select
          {...common}
          allowClear={!props.required}
          placeholder={props.required ? 'Choose' : 'Any'}
          options={(choices ?? []).map((c) => ({ value: c as string, label: choiceLabel(c) }))}
          style={{ width: 320, maxWidth: '100%' }}
        />
      )
  }
  if (option.type.endsWith('[]')) {
    return (
      <Select
        {...common}
        mode={choices ? 'multiple' : 'tags'}
        tokenSeparators={[',', ' ']}
        maxCount={option.maxItems}
        open={choices ? undefined : false}
        suffixIcon={null}
        placeholder={choices ? 'Choose' : 'Type and press Enter'}
        options={choices?.map((c) => ({ value: c as string, label: choiceLabel(c) }))}
      />
    )
  }
  if (option.template) {
    return (
      <TemplateText
        id={id}
        value={value}
        onChange={onChange}
        maxLength={option.maxLength}
        variables={props.variables}
        testId={testId}
        label={label}
      />
    )
  }
  switch (option.format) {
    case 'timezone':
      return (
        <Select
          {...common}
          showSearch
          allowClear={!props.required}
          placeholder="UTC"
          options={timeZones().map((z) => ({ value: z, label: z }))}
          style={{ width: 320, maxWidth: '100%' }}
        />
      )
    case 'cron':
      return (
        <Input
          {...common}
          onChange={(e) => onChange?.(e.target.value)}
          placeholder="0 9 * * 1-5"
          style={{ fontFamily: 'monospace', maxWidth: 260 }}
          maxLength={option.maxLength}
        />
      )
    case 'duration':
      return (
        <Input
          {...common}
          onChange={(e) => onChange?.(e.target.value)}
          placeholder="10m, 2h or 1d"
          style={{ maxWidth: 200 }}
        />
      )
    case 'uri':
      return (
        <Input
          {...common}
          onChange={(e) => onChange?.(e.target.value)}
          placeholder="https://"
          type="url"
          maxLength={option.maxLength}
        />
      )
  }
  return (
    <Input {...common} onChange={(e) => onChange?.(e.target.value)} maxLength={option.maxLength} />
  )
}

/**
 * The options of one trigger or action, each on its Form.Item at
 * `[...name, option]` (name relative to any Form.List around it; `watch`
 * is the absolute path, to read the siblings `requiredIf` depends on).
 */
export function OptionFields(props: {
  options: RuleOption[]
  name: NamePath
  watch: NamePath
  teamId?: number
  variables: Variables
  testIdPrefix: string
}) {
  const form = Form.useFormInstance()
  const siblings = Form.useWatch(props.watch, { form, preserve: true }) as
    Record<string, unknown> | undefined
  if (!props.options.length) return null
  return (
    <>
      {props.options.map((option) => {
        const required = isRequired(option, siblings)
        const label = optionLabel(option)
        const testId = `${props.testIdPrefix}-${option.name}`
        return (
          <Form.Item
            key={option.name}
            name={[...props.name, option.name]}
            label={label}
            required={required}
            extra={option.description}
            rules={required ? [{ required: true, message: `${label} is required` }] : undefined}
          >
            <OptionInput
              option={option}
              required={required}
              teamId={props.teamId}
              variables={props.variables}
              testId={testId}
            />
          </Form.Item>
        )
      })}
    </>
  )
}
