import { Button, Form, Input, Select, Space, Tag, Tooltip, Typography } from 'antd'
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import type { AttributeRow } from './values'

/** The contact form, shared by create and edit; values.ts maps it to the API's shape. */
export function ContactFields({
  teams,
}: {
  /** Given on create: the team the contact belongs to. */
  teams?: { id?: number; name?: string }[]
}) {
  return (
    <>
      {teams && (
        <Form.Item
          label="Team"
          name="teamId"
          rules={[{ required: true, message: 'Choose the team this contact belongs to' }]}
        >
          <Select
            aria-label="Team"
            data-testid="contact-team"
            showSearch
            optionFilterProp="label"
            options={teams.map((t) => ({ value: t.id, label: t.name }))}
            placeholder="Team"
          />
        </Form.Item>
      )}
      <Form.Item label="Name" name="name">
        <Input maxLength={200} placeholder="Full name" />
      </Form.Item>
      <Form.Item label="Email" name="email">
        <Input type="email" placeholder="name@example.com" />
      </Form.Item>
      <Form.Item label="Phone" name="phone" extra="Digits, spaces, +, -, ( ) and dots.">
        <Input placeholder="+1 555 0100" />
      </Form.Item>
      <Form.Item label="Language" name="locale" extra="A language tag such as en, fr or pt-BR.">
        <Input placeholder="en" style={{ maxWidth: 160 }} />
      </Form.Item>
      <Form.Item label="Attributes" required={false}>
        <Form.List name="attributes">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.length === 0 && (
                <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                  Anything worth knowing about this customer: plan, account id, city…
                </Typography.Paragraph>
              )}
              {fields.map((field) => (
                <AttributeRowFields
                  key={field.key}
                  name={field.name}
                  onRemove={() => remove(field.name)}
                />
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ key: '', value: '' })}
                data-testid="add-attribute"
              >
                Add attribute
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
    </>
  )
}

/** Holds a form value that has no input of its own. */
const Keep = (_: { value?: unknown }) => null

function AttributeRowFields({ name, onRemove }: { name: number; onRemove: () => void }) {
  const json = Form.useWatch(['attributes', name, 'json'])
  return (
    <Space
      align="start"
      wrap
      style={{ display: 'flex', marginBottom: 4 }}
      data-testid="attribute-row"
    >
      <Form.Item
        name={[name, 'key']}
        style={{ marginBottom: 4 }}
        rules={[
          { required: true, whitespace: true, message: 'Name the attribute' },
          ({ getFieldValue }) => ({
            validator(_, value: string | undefined) {
              const rows: AttributeRow[] = getFieldValue('attributes') ?? []
              const same = rows.filter((r) => r?.key?.trim() && r.key.trim() === value?.trim())
              return same.length > 1
                ? Promise.reject(new Error('Each attribute once'))
                : Promise.resolve()
            },
          }),
        ]}
      >
        <Input
          aria-label="Attribute name"
          placeholder="Name"
          style={{ width: 160 }}
          maxLength={100}
        />
      </Form.Item>
      <Form.Item
        name={[name, 'value']}
        style={{ marginBottom: 4 }}
        rules={[
          {
            validator(_, value: string | undefined) {
              if (!json) return Promise.resolve()
              try {
                JSON.parse(value ?? '')
                return Promise.resolve()
              } catch {
                return Promise.reject(new Error('Not valid JSON'))
              }
            },
          },
        ]}
      >
        <Input aria-label="Attribute value" placeholder="Value" style={{ width: 220 }} />
      </Form.Item>
      <Form.Item name={[name, 'json']} hidden>
        <Keep />
      </Form.Item>
      {json ? (
        <Tooltip title="Not text: edited as JSON (true, 42, {…}) so it keeps its type">
          <Tag style={{ marginTop: 5 }}>JSON</Tag>
        </Tooltip>
      ) : null}
      <Button icon={<DeleteOutlined />} aria-label="Remove attribute" onClick={onRemove} />
    </Space>
  )
}
