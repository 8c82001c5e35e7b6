/*
| The rule builder (create and edit): a form driven by GET /rules/schema,
| and a JSON tab over the same values. API errors land on the input their
| path names, and are listed above the form too (a JSON editor has no
| inputs, and some errors concern a whole group).
*/
import { useEffect, useMemo, useRef, useState } from 'react'
import { useParams, useSearchParams } from 'react-router'
import { useWarnAboutChange, type HttpError } from '@refinedev/core'
import { Create, Edit, useForm } from '@refinedev/antd'
import {
  Alert,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Result,
  Select,
  Space,
  Spin,
  Switch,
  Tabs,
  Typography,
} from 'antd'
import { NotFound } from '../../components/not_found'
import { ActionsBuilder } from './actions'
import { ConditionsBuilder } from './conditions'
import { OptionFields, TeamSelect, templateVariables } from './options'
import { retryUnlessMissing, useCurrentTeam, useRuleSchema, type Rule } from './data'
import {
  fieldMessage,
  formPathOf,
  fromForm,
  parseRuleJson,
  toForm,
  toJsonText,
  type NamePath,
  type PathMap,
  type RuleFormValues,
  type RuleSchema,
} from './rule_form'

type Problem = { field: string; message: string; name: NamePath }

/** The form keys the JSON tab sets (the team is chosen outside the JSON). */
const RULE_KEYS = [
  'name',
  'enabled',
  'priority',
  'trigger',
  'conditions',
  'actions',
  'stopProcessing',
  'cooldownSeconds',
] as const

const UNITS = [
  { value: 1, label: 'seconds' },
  { value: 60, label: 'minutes' },
  { value: 3600, label: 'hours' },
  { value: 86400, label: 'days' },
]

/** Seconds, typed in the unit that reads best. */
function CooldownInput(props: {
  value?: number | null
  onChange?: (v: number | null) => void
  id?: string
  max?: number
}) {
  const seconds = props.value ?? 0
  const fitting = [...UNITS].reverse().find((u) => seconds % u.value === 0 && seconds >= u.value)
  const [chosen, setUnit] = useState(fitting?.value ?? 60)
  // A value the chosen unit cannot show whole (set from the JSON tab) is shown in one that can.
  const unit = seconds % chosen === 0 ? chosen : (fitting?.value ?? 1)
  const shown = seconds / unit
  return (
    <Space.Compact>
      <InputNumber
        id={props.id}
        min={0}
        max={props.max ? props.max / unit : undefined}
        value={props.value === null ? null : shown}
        onChange={(v) => props.onChange?.(v === null ? null : Math.round(v * unit))}
        aria-label="Cooldown"
        data-testid="rule-cooldown"
        style={{ width: 120 }}
      />
      <Select
        value={unit}
        onChange={setUnit}
        options={UNITS}
        aria-label="Cooldown unit"
        style={{ width: 110 }}
      />
    </Space.Compact>
  )
}

function TriggerSection(props: { schema: RuleSchema; teamId?: number; changed: () => void }) {
  const form = Form.useFormInstance()
  const type = Form.useWatch(['trigger', 'type'], form) as string | undefined
  const kind = props.schema.triggers.find((t) => t.type === type)
  return (
    <>
      <Form.Item
        name={['trigger', 'type']}
        label="Trigger"
        rules={[{ required: true, message: 'Choose when the rule runs' }]}
        extra={kind?.description}
      >
        <Select
          options={props.schema.triggers.map((t) => ({ value: t.type, label: t.label }))}
          placeholder="When…"
          aria-label="Trigger"
          data-testid="trigger-type"
          style={{ maxWidth: 360 }}
          onChange={(next: string) => {
            // Another trigger's options mean nothing here.
            form.setFieldValue('trigger', { type: next })
            props.changed()
          }}
        />
      </Form.Item>
      {kind && (
        <OptionFields
          options={kind.options}
          name={['trigger']}
          watch={['trigger']}
          teamId={props.teamId}
          variables={templateVariables(props.schema)}
          testIdPrefix="trigger"
        />
      )}
    </>
  )
}

function Problems(props: { problems: Problem[]; onPick: (p: Problem) => void }) {
  if (!props.problems.length) return null
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="rule-problems"
      message={
        props.problems.length === 1
          ? 'One thing needs attention before the rule can be saved'
          : `${props.problems.length} things need attention before the rule can be saved`
      }
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {props.problems.map((p, i) => (
            <li key={i}>
              <Button
                type="link"
                size="small"
                style={{ padding: 0, height: 'auto' }}
                onClick={() => props.onPick(p)}
              >
                <Typography.Text code>{p.field}</Typography.Text>
              </Button>{' '}
              {fieldMessage(p.field, p.message)}
            </li>
          ))}
        </ul>
      }
    />
  )
}

export function RuleForm({ action }: { action: 'create' | 'edit' }) {
  const schema = useRuleSchema()
  const [params] = useSearchParams()
  const { teams, teamId: defaultTeam } = useCurrentTeam(Number(params.get('teamId')) || undefined)
  const { id } = useParams()
  const { setWarnWhen } = useWarnAboutChange()
  const paths = useRef<PathMap>([])
  const [problems, setProblems] = useState<Problem[]>([])
  const [tab, setTab] = useState<'builder' | 'json'>('builder')
  const [jsonText, setJsonText] = useState('')
  const [jsonError, setJsonError] = useState<string>()

  const showErrors = (error: HttpError) => {
    const list: Problem[] = Object.entries(error?.errors ?? {}).flatMap(([field, messages]) =>
      (Array.isArray(messages) ? messages : [String(messages)]).map((message) => ({
        field,
        message: String(message),
        name: formPathOf(field, paths.current),
      }))
    )
    placeProblems(list)
  }

  const { formProps, form, saveButtonProps, query, onFinish, formLoading } = useForm<
    Rule,
    HttpError,
    Record<string, unknown>
  >({
    resource: 'rules',
    action,
    ...(action === 'edit' && { id }),
    queryOptions: { retry: retryUnlessMissing },
    redirect: 'show',
    disableServerSideValidation: true,
    onMutationError: showErrors,
    successNotification: () => ({
      message: action === 'create' ? 'Rule created' : 'Rule saved',
      type: 'success',
    }),
    errorNotification: (error) => ({
      message:
        error?.statusCode === 422
          ? 'Not saved: see the highlighted fields.'
          : (error?.message ?? 'Not saved.'),
      type: 'error',
    }),
  })

  const placed = useRef<NamePath[]>([])
  function placeProblems(list: Problem[]) {
    form.setFields(placed.current.map((name) => ({ name, errors: [] })))
    const byName = new Map<string, { name: NamePath; errors: string[] }>()
    for (const p of list) {
      const key = JSON.stringify(p.name)
      const entry = byName.get(key) ?? { name: p.name, errors: [] }
      entry.errors.push(fieldMessage(p.field, p.message))
      byName.set(key, entry)
    }
    form.setFields([...byName.values()])
    placed.current = [...byName.values()].map((e) => e.name)
    setProblems(list)
  }

  const record = query?.data?.data
  const initialValues = useMemo(
    () =>
      action === 'edit'
        ? record
          ? toForm(record)
          : undefined
        : toForm({ trigger: { type: 'message.received' }, actions: [], teamId: defaultTeam }),
    // The create defaults are read once, when the teams arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [action, record, action === 'create' && defaultTeam !== undefined]
  )
  useEffect(() => {
    if (action === 'create' && defaultTeam && !form.getFieldValue('teamId')) {
      form.setFieldValue('teamId', defaultTeam)
    }
  }, [action, defaultTeam, form])

  const triggerType = Form.useWatch(['trigger', 'type'], form) as string | undefined
  const teamId =
    (Form.useWatch('teamId', { form, preserve: true }) as number | undefined) ?? record?.teamId
  const changed = () => setWarnWhen(true)

  const submit = async () => {
    const values = form.getFieldsValue(true) as RuleFormValues
    const built = fromForm(values)
    paths.current = built.paths
    const rule: Record<string, unknown> = { ...built.rule }
    if (action === 'create') rule.teamId = values.teamId
    // The list's order owns the priority: an edit does not undo a reorder made meanwhile.
    else if (rule.priority === record?.priority) delete rule.priority
    setProblems([])
    await onFinish(rule).catch(() => undefined)
  }

  const applyJson = (): boolean => {
    const parsed = parseRuleJson(jsonText)
    if (!parsed.ok) {
      setJsonError(parsed.error)
      return false
    }
    for (const key of RULE_KEYS) form.setFieldValue(key, parsed.values[key])
    setJsonError(undefined)
    return true
  }

  const switchTab = (next: string) => {
    if (next === 'json') {
      setJsonText(toJsonText(form.getFieldsValue(true) as RuleFormValues))
      setJsonError(undefined)
      setTab('json')
    } else if (applyJson()) {
      setTab('builder')
    }
  }

  const save = () => {
    if (tab === 'json' && !applyJson()) return
    form.submit()
  }

  const pick = (p: Problem) => {
    if (tab === 'json') switchTab('builder')
    requestAnimationFrame(() =>
      form.scrollToField(p.name, { behavior: 'smooth', block: 'center', focus: true })
    )
  }

  const Page = action === 'create' ? Create : Edit
  const limits = (schema.data?.limits ?? {}) as {
    nameLength?: { max?: number }
    cooldownSeconds?: { max?: number }
  }
  const teamCount = teams.data?.length ?? 0

  let body: React.ReactNode
  if (schema.isError) {
    body = (
      <Result
        status="error"
        title="The rule options could not be loaded"
        subTitle={schema.error?.message}
        extra={<Button onClick={() => schema.refetch()}>Try again</Button>}
      />
    )
  } else if (action === 'edit' && query?.isError) {
    body =
      query.error?.statusCode === 404 ? (
        <NotFound />
      ) : (
        <Result
          status="error"
          title="The rule could not be loaded"
          subTitle={query.error?.message}
        />
      )
  } else if (!schema.data || (action === 'edit' && !initialValues)) {
    body = (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    )
  } else {
    const s = schema.data
    body = (
      <Form
        {...formProps}
        form={form}
        initialValues={initialValues}
        layout="vertical"
        onFinish={submit}
        onFinishFailed={({ errorFields }) =>
          setProblems(
            errorFields.map((f) => ({
              field: f.name.join('.'),
              message: f.errors[0] ?? 'Check this field',
              name: f.name as NamePath,
            }))
          )
        }
        style={{ maxWidth: 1000 }}
        data-testid="rule-form"
      >
        <Problems problems={problems} onPick={pick} />
        {record?.builtin && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message="A built-in rule: the desk's standard behaviour, written as a rule you can change or switch off."
          />
        )}
        <Tabs
          activeKey={tab}
          onChange={switchTab}
          items={[
            {
              key: 'builder',
              label: 'Builder',
              forceRender: true,
              children: (
                <Flex vertical gap={16}>
                  <Card size="small" title="Rule">
                    <Flex gap={16} wrap align="start">
                      <Form.Item
                        name="name"
                        label="Name"
                        style={{ flex: '1 1 360px' }}
                        rules={[
                          { required: true, whitespace: true, message: 'Give the rule a name' },
                        ]}
                      >
                        <Input
                          maxLength={limits.nameLength?.max}
                          placeholder="Refund questions"
                          data-testid="rule-name"
                        />
                      </Form.Item>
                      {action === 'create' ? (
                        <Form.Item
                          name="teamId"
                          label="Team"
                          hidden={teamCount <= 1}
                          rules={[{ required: true, message: 'Choose the team whose rule it is' }]}
                          style={{ flex: '0 1 240px' }}
                        >
                          <TeamSelect testId="rule-team" />
                        </Form.Item>
                      ) : (
                        <Form.Item label="Team" style={{ flex: '0 1 240px' }}>
                          <Typography.Text>
                            {teams.data?.find((t) => t.id === record?.teamId)?.name ??
                              `#${record?.teamId}`}
                          </Typography.Text>
                        </Form.Item>
                      )}
                      <Form.Item name="enabled" label="Enabled" valuePropName="checked">
                        <Switch data-testid="rule-enabled" aria-label="Enabled" />
                      </Form.Item>
                    </Flex>
                  </Card>
                  <Card size="small" title="When">
                    <TriggerSection schema={s} teamId={teamId} changed={changed} />
                  </Card>
                  <Card size="small" title="If">
                    <ConditionsBuilder schema={s} triggerType={triggerType} changed={changed} />
                  </Card>
                  <Card size="small" title="Then">
                    <ActionsBuilder
                      schema={s}
                      triggerType={triggerType}
                      teamId={teamId}
                      changed={changed}
                    />
                  </Card>
                  <Card size="small" title="Options">
                    <Flex gap={32} wrap>
                      <Form.Item
                        name="cooldownSeconds"
                        label="Cooldown"
                        extra="After firing, the rule waits this long before firing again on the same conversation. 0: no wait."
                        style={{ maxWidth: 420 }}
                      >
                        <CooldownInput max={limits.cooldownSeconds?.max} />
                      </Form.Item>
                      <Form.Item
                        name="stopProcessing"
                        label="Stop here"
                        valuePropName="checked"
                        extra="When this rule fires, the rules below it are skipped for that event."
                        style={{ maxWidth: 420 }}
                      >
                        <Switch data-testid="rule-stop-processing" aria-label="Stop here" />
                      </Form.Item>
                    </Flex>
                  </Card>
                </Flex>
              ),
            },
            {
              key: 'json',
              label: 'JSON',
              children: (
                <Flex vertical gap={8}>
                  <Typography.Text type="secondary">
                    The rule as the API and the export write it. Edit it here and switch back to the
                    builder, or save directly.
                  </Typography.Text>
                  {jsonError && (
                    <Alert
                      type="error"
                      showIcon
                      message={jsonError}
                      data-testid="rule-json-error"
                    />
                  )}
                  <Input.TextArea
                    value={jsonText}
                    onChange={(e) => {
                      setJsonText(e.target.value)
                      setJsonError(undefined)
                      changed()
                    }}
                    autoSize={{ minRows: 18, maxRows: 40 }}
                    spellCheck={false}
                    aria-label="Rule JSON"
                    data-testid="rule-json"
                    style={{ fontFamily: 'monospace', fontSize: 13 }}
                  />
                </Flex>
              ),
            },
          ]}
        />
      </Form>
    )
  }

  return (
    <Page
      title={
        action === 'create' ? 'New rule' : `Edit rule${record?.name ? `: ${record.name}` : ''}`
      }
      isLoading={formLoading && action === 'edit' && !record}
      saveButtonProps={{
        ...saveButtonProps,
        'onClick': save,
        'disabled': saveButtonProps.disabled || !schema.data,
        'data-testid': 'rule-save',
      }}
    >
      {body}
    </Page>
  )
}
