/*
| The "then" of a rule: actions run in order, each a form of its type's
| options from GET /rules/schema, at `actions.<i>.<option>` like the API.
*/
import { Alert, Button, Card, Dropdown, Empty, Flex, Form, Select, Tooltip, Typography } from 'antd'
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { OptionFields, templateVariables } from './options'
import { changeActionType, type Action, type RuleSchema } from './rule_form'

export function ActionsBuilder(props: {
  schema: RuleSchema
  triggerType?: string
  teamId?: number
  changed: () => void
}) {
  const { schema, triggerType } = props
  const form = Form.useFormInstance()
  const onSchedule = triggerType === 'schedule'
  const limits = schema.limits as { actions?: { max?: number } }
  const max = limits.actions?.max ?? 20
  const trigger = schema.triggers.find((t) => t.type === triggerType)
  const variables = templateVariables(schema, trigger)
  const scheduleActions = schema.actions
    .filter((a) => a.allowedOnSchedule)
    .map((a) => a.label)
    .join(', ')
  const typeOptions = schema.actions.map((a) => ({
    value: a.type,
    label: a.label,
    disabled: onSchedule && !a.allowedOnSchedule,
  }))

  return (
    <Form.List name="actions">
      {(fields, { add, remove, move }) => (
        <Flex vertical gap={12}>
          {fields.length === 0 && (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description="No actions yet: add what the rule should do, e.g. send a message or add a tag."
              data-testid="actions-empty"
            />
          )}
          {fields.map((field, index) => {
            const action = (form.getFieldValue(['actions', field.name]) ?? {}) as Action
            const kind = schema.actions.find((a) => a.type === action.type)
            const blocked = onSchedule && kind && !kind.allowedOnSchedule
            return (
              <Card
                key={field.key}
                size="small"
                data-testid={`action-${index}`}
                title={
                  <span>
                    <Typography.Text type="secondary">{index + 1}. </Typography.Text>
                    {kind?.label ?? 'New action'}
                  </span>
                }
                extra={
                  <Flex gap={4}>
                    <Tooltip title="Run earlier">
                      <Button
                        type="text"
                        icon={<ArrowUpOutlined />}
                        disabled={index === 0}
                        aria-label={`Move action ${index + 1} up`}
                        onClick={() => {
                          move(index, index - 1)
                          props.changed()
                        }}
                      />
                    </Tooltip>
                    <Tooltip title="Run later">
                      <Button
                        type="text"
                        icon={<ArrowDownOutlined />}
                        disabled={index === fields.length - 1}
                        aria-label={`Move action ${index + 1} down`}
                        onClick={() => {
                          move(index, index + 1)
                          props.changed()
                        }}
                      />
                    </Tooltip>
                    <Tooltip title="Remove action">
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={`Remove action ${index + 1}`}
                        data-testid={`action-remove-${index}`}
                        onClick={() => {
                          remove(field.name)
                          props.changed()
                        }}
                      />
                    </Tooltip>
                  </Flex>
                }
              >
                <Form.Item
                  name={[field.name, 'type']}
                  label="Do"
                  rules={[{ required: true, message: 'Choose what to do' }]}
                >
                  <Select
                    options={typeOptions}
                    placeholder="Choose an action"
                    aria-label={`Action ${index + 1} type`}
                    data-testid={`action-type-${index}`}
                    style={{ maxWidth: 360 }}
                    onChange={(type: string) => {
                      form.setFieldValue(
                        ['actions', field.name],
                        changeActionType(
                          action,
                          type,
                          schema.actions.find((a) => a.type === type)
                        )
                      )
                      props.changed()
                    }}
                  />
                </Form.Item>
                {kind ? (
                  <>
                    <Typography.Paragraph
                      type="secondary"
                      style={{ marginBottom: kind.options.length ? 12 : 0 }}
                    >
                      {kind.description}
                    </Typography.Paragraph>
                    {blocked && (
                      <Alert
                        type="warning"
                        showIcon
                        style={{ marginBottom: 12 }}
                        message={`A schedule rule concerns no conversation, so this action cannot run. It may use: ${scheduleActions}.`}
                      />
                    )}
                    <OptionFields
                      options={kind.options}
                      name={[field.name]}
                      watch={['actions', field.name]}
                      teamId={props.teamId}
                      variables={variables}
                      testIdPrefix={`action-${index}`}
                    />
                  </>
                ) : action.type ? (
                  <Alert
                    type="error"
                    showIcon
                    message={`Unknown action type “${String(action.type)}”: choose another.`}
                  />
                ) : null}
              </Card>
            )
          })}
          <div>
            <Dropdown
              trigger={['click']}
              disabled={fields.length >= max}
              menu={{
                style: { maxHeight: 400, overflowY: 'auto' },
                items: schema.actions.map((a) => ({
                  key: a.type,
                  disabled: onSchedule && !a.allowedOnSchedule,
                  label: (
                    <div data-testid={`add-action-${a.type}`} style={{ maxWidth: 380 }}>
                      <div>{a.label}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {onSchedule && !a.allowedOnSchedule
                          ? 'Needs a conversation: not for schedule rules'
                          : a.description}
                      </Typography.Text>
                    </div>
                  ),
                })),
                onClick: ({ key }) => {
                  add({ type: key })
                  props.changed()
                },
              }}
            >
              <Button icon={<PlusOutlined />} data-testid="add-action">
                Add action
              </Button>
            </Dropdown>
            {fields.length >= max && (
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                A rule has at most {max} actions.
              </Typography.Text>
            )}
          </div>
        </Flex>
      )}
    </Form.List>
  )
}
