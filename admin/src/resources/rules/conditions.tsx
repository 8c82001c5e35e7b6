/*
| The "if" of a rule: nested all/any groups of conditions. Form names are
| the API's paths (`conditions.all.1.any.0.value`); nested Form.Lists take
| names relative to their parent list, so each group knows both its
| absolute path (to read and write the store) and its relative one.
*/
import { createContext, useContext, useState } from 'react'
import {
  AutoComplete,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Tooltip,
  Typography,
} from 'antd'
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import {
  childrenOf,
  coerceValue,
  countConditions,
  fieldSpec,
  groupKey,
  isGroup,
  joinField,
  newCondition,
  operatorSpec,
  splitField,
  type Condition,
  type ConditionField,
  type GroupKey,
  type NamePath,
  type RuleSchema,
  type ValueType,
} from './rule_form'

type Ctx = {
  schema: RuleSchema
  triggerType?: string
  total: number
  maxConditions: number
  maxDepth: number
  changed: () => void
}
const Builder = createContext<Ctx | null>(null)
const useBuilder = () => useContext(Builder)!

const testIdOf = (abs: NamePath) => abs.join('.')

export function ConditionsBuilder(props: {
  schema: RuleSchema
  triggerType?: string
  changed: () => void
}) {
  const form = Form.useFormInstance()
  const root = Form.useWatch(['conditions'], { form, preserve: true })
  const limits = props.schema.limits as { conditions?: number; conditionDepth?: number }
  const total = countConditions(root)
  const ctx: Ctx = {
    schema: props.schema,
    triggerType: props.triggerType,
    total,
    maxConditions: limits.conditions ?? 100,
    maxDepth: limits.conditionDepth ?? 6,
    changed: props.changed,
  }
  return (
    <Builder.Provider value={ctx}>
      {total === 0 && (
        <Typography.Paragraph type="secondary" data-testid="conditions-empty">
          No conditions: the rule acts every time its trigger happens. Add a condition to narrow it
          down, e.g. <i>Message text contains “refund”</i>.
        </Typography.Paragraph>
      )}
      <ConditionGroup abs={['conditions']} rel={['conditions']} depth={1} />
    </Builder.Provider>
  )
}

function ConditionGroup(props: {
  abs: NamePath
  rel: NamePath
  depth: number
  onRemove?: () => void
}) {
  const { abs, rel, depth } = props
  const form = Form.useFormInstance()
  const ctx = useBuilder()
  const node = Form.useWatch(abs, { form, preserve: true })
  const key = groupKey(node)
  const id = testIdOf(abs)
  const full = ctx.total >= ctx.maxConditions
  const setKey = (next: GroupKey) => {
    form.setFieldValue(abs, { [next]: childrenOf(form.getFieldValue(abs)) })
    ctx.changed()
  }
  return (
    <div
      data-testid={`group-${id}`}
      role="group"
      aria-label={depth === 1 ? 'Conditions' : 'Condition group'}
      style={{
        border: '1px solid #e5e7eb',
        borderLeft: `3px solid ${key === 'all' ? '#3056d3' : '#d97706'}`,
        borderRadius: 6,
        padding: '10px 12px',
        background: depth % 2 ? '#fafbfc' : '#fff',
      }}
    >
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Select<GroupKey>
          value={key}
          onChange={setKey}
          aria-label="Group matches"
          data-testid={`group-match-${id}`}
          style={{ width: 230 }}
          options={[
            { value: 'all', label: 'All of these must hold' },
            { value: 'any', label: 'Any of these may hold' },
          ]}
        />
        <span style={{ flex: 1 }} />
        {props.onRemove && (
          <Tooltip title="Remove this group and its conditions">
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label="Remove group"
              data-testid={`group-remove-${id}`}
              onClick={() => {
                props.onRemove?.()
                ctx.changed()
              }}
            />
          </Tooltip>
        )}
      </Flex>
      <Form.List name={[...rel, key]} key={key}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => {
              const childAbs = [...abs, key, field.name]
              const onRemove = () => remove(field.name)
              return isGroup(form.getFieldValue(childAbs)) ? (
                <ConditionGroup
                  key={field.key}
                  abs={childAbs}
                  rel={[field.name]}
                  depth={depth + 1}
                  onRemove={onRemove}
                />
              ) : (
                <ConditionRow
                  key={field.key}
                  abs={childAbs}
                  rel={[field.name]}
                  onRemove={() => {
                    onRemove()
                    ctx.changed()
                  }}
                />
              )
            })}
            <Space>
              <Button
                size="small"
                icon={<PlusOutlined />}
                disabled={full}
                data-testid={`add-condition-${id}`}
                onClick={() => {
                  add(newCondition(ctx.schema, ctx.triggerType))
                  ctx.changed()
                }}
              >
                Add condition
              </Button>
              <Tooltip
                title={
                  depth >= ctx.maxDepth
                    ? `Groups nest at most ${ctx.maxDepth} deep`
                    : 'A group of conditions with its own all/any'
                }
              >
                <Button
                  size="small"
                  disabled={full || depth >= ctx.maxDepth}
                  data-testid={`add-group-${id}`}
                  onClick={() => {
                    add({ any: [newCondition(ctx.schema, ctx.triggerType)] })
                    ctx.changed()
                  }}
                >
                  Add group
                </Button>
              </Tooltip>
              {full && (
                <Typography.Text type="secondary">
                  A rule has at most {ctx.maxConditions} conditions.
                </Typography.Text>
              )}
            </Space>
          </Flex>
        )}
      </Form.List>
    </div>
  )
}

const FAMILIES: Array<[prefix: string, label: string]> = [
  ['message', 'Message'],
  ['contact', 'Contact'],
  ['event', 'Event'],
  ['', 'Conversation and team'],
]

function familyOf(name: string) {
  return FAMILIES.find(([p]) => p && name.startsWith(`${p}.`))?.[1] ?? FAMILIES[3][1]
}

/** The field: a known one, or a family (`contact.attributes.*`) plus the key typed after it. */
function FieldPicker(props: {
  value?: string
  onChange?: (value: string) => void
  id?: string
  testId: string
}) {
  const { schema, triggerType } = useBuilder()
  const { family, key } = splitField(schema, props.value)
  const spec = fieldSpec(schema, props.value)
  const trigger = schema.triggers.find((t) => t.type === triggerType)
  const options = FAMILIES.map(([, label]) => ({
    label,
    options: schema.conditionFields
      .filter((f) => familyOf(f.name) === label)
      .map((f) => {
        const unused = !!triggerType && !!f.triggers && !f.triggers.includes(triggerType)
        return {
          value: f.name,
          title: f.label,
          search: `${f.label} ${f.name}`,
          label: (
            <span title={unused ? 'This trigger gives it no value' : f.name}>
              {f.label}
              {unused ? (
                <Typography.Text type="secondary"> · not set by this trigger</Typography.Text>
              ) : null}
            </span>
          ),
        }
      }),
  })).filter((g) => g.options.length)
  const suggestions =
    family === 'event.*'
      ? (trigger?.eventFields ?? []).map((f) => {
          const key = (f.name ?? '').replace(/^event\./, '')
          return { value: key, label: `${key} — ${f.description ?? ''}` }
        })
      : []
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={props.id}
        value={family}
        onChange={(f: string) => props.onChange?.(joinField(f, f === family ? key : ''))}
        showSearch
        optionFilterProp="search"
        options={options}
        placeholder="Field"
        aria-label="Field"
        data-testid={props.testId}
        style={{ width: spec?.pattern ? '50%' : '100%' }}
        popupMatchSelectWidth={300}
      />
      {spec?.pattern && (
        <AutoComplete
          value={key}
          onChange={(k: string) => props.onChange?.(joinField(spec.name, k.trim()))}
          options={suggestions}
          placeholder={spec.name === 'event.*' ? 'data.amount' : 'plan'}
          aria-label={spec.name === 'event.*' ? 'Event key' : 'Attribute name'}
          data-testid={`${props.testId}-key`}
          style={{ width: '50%' }}
          filterOption={(input, option) => String(option?.value ?? '').startsWith(input)}
        />
      )}
    </Space.Compact>
  )
}

const YES_NO = [
  { value: true, label: 'true' },
  { value: false, label: 'false' },
]

/** A value for a field of any type: text, a number or true/false. */
function AnyValue(props: {
  value?: unknown
  onChange?: (v: unknown) => void
  id?: string
  testId: string
}) {
  const typed =
    typeof props.value === 'number'
      ? 'number'
      : typeof props.value === 'boolean'
        ? 'boolean'
        : 'text'
  const [kind, setKind] = useState<'text' | 'number' | 'boolean'>(typed)
  const shown =
    props.value === undefined || props.value === null || props.value === '' ? kind : typed
  const switchTo = (next: 'text' | 'number' | 'boolean') => {
    setKind(next)
    const v = props.value
    if (next === 'number') props.onChange?.(coerceValue(v, 'number', undefined))
    else if (next === 'boolean') props.onChange?.(v === 'false' || v === 0 ? false : true)
    else props.onChange?.(v === undefined || v === null ? undefined : String(v))
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        value={shown}
        onChange={switchTo}
        aria-label="Value type"
        style={{ width: 96 }}
        options={[
          { value: 'text', label: 'Text' },
          { value: 'number', label: 'Number' },
          { value: 'boolean', label: 'Yes/no' },
        ]}
      />
      {shown === 'number' ? (
        <InputNumber
          id={props.id}
          value={props.value as number}
          onChange={(v) => props.onChange?.(v ?? undefined)}
          aria-label="Value"
          data-testid={props.testId}
          style={{ width: '100%' }}
        />
      ) : shown === 'boolean' ? (
        <Select
          id={props.id}
          value={props.value as boolean}
          onChange={props.onChange}
          options={YES_NO}
          aria-label="Value"
          data-testid={props.testId}
          style={{ width: '100%' }}
        />
      ) : (
        <Input
          id={props.id}
          value={props.value as string}
          onChange={(e) => props.onChange?.(e.target.value)}
          aria-label="Value"
          data-testid={props.testId}
        />
      )}
    </Space.Compact>
  )
}

/** The value input for a field and operator: a list, a number, a pattern, an enum, ... */
function ValueInput(props: {
  spec?: ConditionField
  valueType?: ValueType
  value?: any
  onChange?: (v: any) => void
  id?: string
  testId: string
}) {
  const { spec, valueType, testId } = props
  const common = { 'id': props.id, 'aria-label': 'Value', 'data-testid': testId }
  const enumOptions = spec?.enum?.map((e) => ({ value: e, label: e }))
  const numeric = spec?.type === 'number' || spec?.type === 'id'
  if (valueType === 'list') {
    return (
      <Select
        {...common}
        mode={enumOptions ? 'multiple' : 'tags'}
        value={props.value}
        onChange={(v: unknown[]) => props.onChange?.(coerceValue(v, 'list', spec))}
        options={enumOptions}
        tokenSeparators={[',']}
        open={enumOptions ? undefined : false}
        suffixIcon={null}
        placeholder={enumOptions ? 'Choose' : 'Type a value, press Enter'}
        style={{ width: '100%' }}
      />
    )
  }
  if (valueType === 'number' || (valueType === 'any' && numeric)) {
    return (
      <InputNumber
        {...common}
        value={props.value}
        onChange={(v) => props.onChange?.(v ?? undefined)}
        style={{ width: '100%' }}
      />
    )
  }
  if (valueType === 'pattern') {
    return (
      <Input
        {...common}
        value={props.value}
        onChange={(e) => props.onChange?.(e.target.value)}
        placeholder="(?i)\brefunds?\b"
        style={{ fontFamily: 'monospace' }}
      />
    )
  }
  if (valueType === 'any' && enumOptions) {
    return (
      <Select
        {...common}
        value={props.value}
        onChange={props.onChange}
        options={enumOptions}
        showSearch
        placeholder="Choose"
      />
    )
  }
  if (valueType === 'any' && spec?.type === 'boolean') {
    return (
      <Select
        {...common}
        value={props.value}
        onChange={props.onChange}
        options={YES_NO}
        placeholder="Choose"
      />
    )
  }
  if (valueType === 'any' && (spec?.type === 'any' || !spec)) {
    return <AnyValue id={props.id} value={props.value} onChange={props.onChange} testId={testId} />
  }
  return (
    <Input
      {...common}
      value={props.value}
      onChange={(e) => props.onChange?.(e.target.value)}
      placeholder="Text"
    />
  )
}

function ConditionRow(props: { abs: NamePath; rel: NamePath; onRemove: () => void }) {
  const { abs, rel } = props
  const form = Form.useFormInstance()
  const { schema, changed } = useBuilder()
  const condition = (Form.useWatch(abs, { form, preserve: true }) ?? {}) as Condition
  const spec = fieldSpec(schema, condition.field)
  const operator = operatorSpec(schema, condition.operator)
  const id = testIdOf(abs)
  const operatorOptions = (spec?.operators ?? schema.operators.map((o) => o.name)).map((name) => ({
    value: name,
    label: operatorSpec(schema, name)?.label ?? name,
  }))

  // After the field or the operator changed: an operator the field takes, a value it fits.
  const refit = (field: string | undefined, operatorName: string | undefined) => {
    const nextSpec = fieldSpec(schema, field)
    const ops = nextSpec?.operators ?? schema.operators.map((o) => o.name)
    const op = operatorName && ops.includes(operatorName) ? operatorName : ops[0]
    const current = form.getFieldValue(abs) as Condition
    form.setFieldValue([...abs, 'operator'], op)
    form.setFieldValue(
      [...abs, 'value'],
      coerceValue(current?.value, operatorSpec(schema, op)?.valueType, nextSpec)
    )
    changed()
  }

  return (
    <Flex gap={8} align="start" data-testid={`condition-${id}`} role="group" aria-label="Condition">
      <Form.Item
        name={[...rel, 'field']}
        style={{ flex: '0 0 34%', marginBottom: 0 }}
        rules={[
          { required: true, message: 'Choose a field' },
          {
            validator: async (_, value: string | undefined) => {
              const s = fieldSpec(schema, value)
              if (s?.pattern && !splitField(schema, value).key) {
                throw new Error(
                  s.name === 'event.*' ? 'Type the event key' : 'Type the attribute name'
                )
              }
            },
          },
        ]}
      >
        <FieldPicker
          testId={`condition-field-${id}`}
          onChange={(field) => {
            if (fieldSpec(schema, field)?.name !== spec?.name) refit(field, condition.operator)
          }}
        />
      </Form.Item>
      <Form.Item
        name={[...rel, 'operator']}
        style={{ flex: '0 0 22%', marginBottom: 0 }}
        rules={[{ required: true, message: 'Choose how to compare' }]}
      >
        <Select
          options={operatorOptions}
          placeholder="Operator"
          aria-label="Operator"
          data-testid={`condition-operator-${id}`}
          onChange={(op: string) => refit(condition.field, op)}
        />
      </Form.Item>
      {operator?.valueType !== 'none' ? (
        <Form.Item
          name={[...rel, 'value']}
          style={{ flex: 1, minWidth: 0, marginBottom: 0 }}
          rules={[
            {
              validator: async (_, value: unknown) => {
                const empty =
                  value === undefined ||
                  value === null ||
                  value === '' ||
                  (Array.isArray(value) && !value.length)
                if (empty) throw new Error('Enter a value')
              },
            },
          ]}
        >
          <ValueInput
            spec={spec}
            valueType={operator?.valueType}
            testId={`condition-value-${id}`}
          />
        </Form.Item>
      ) : (
        <span style={{ flex: 1 }} />
      )}
      <Tooltip title="Remove condition">
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label="Remove condition"
          data-testid={`condition-remove-${id}`}
          onClick={props.onRemove}
        />
      </Tooltip>
    </Flex>
  )
}
