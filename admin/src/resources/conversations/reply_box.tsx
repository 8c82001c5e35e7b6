import { useState } from 'react'
import { useForm } from '@refinedev/antd'
import { Button, Form, Input, Select, Space, Switch, Tooltip, Typography } from 'antd'
import {
  AppstoreAddOutlined,
  DeleteOutlined,
  LockOutlined,
  PaperClipOutlined,
  PlusOutlined,
  SendOutlined,
} from '@ant-design/icons'
import type { Message } from '../../api/types'
import { toReply, type Draft } from './parts'

export function ReplyBox({
  conversationId,
  hasChannel,
  onSent,
}: {
  conversationId: number
  hasChannel: boolean
  onSent: (message: Message | undefined) => void
}) {
  const [internal, setInternal] = useState(false)
  const { formProps, form, onFinish, formLoading } = useForm<Message, any, Draft>({
    resource: 'messages',
    action: 'create',
    meta: { path: `conversations/${conversationId}/messages` },
    redirect: false,
    // A half-written reply must not block moving on to the next conversation.
    warnWhenUnsavedChanges: false,
    successNotification: false,
    errorNotification: (error) => ({
      type: 'error',
      message: internal ? 'The note was not added' : 'The reply was not sent',
      description: error?.message,
    }),
    onMutationSuccess: (result) => {
      form.resetFields()
      onSent(result?.data)
    },
  })

  // A refused reply is shown on its fields (and in a notification), not thrown.
  const submit = (values: Draft) =>
    onFinish(toReply(values, internal) as Draft).catch(() => undefined)
  const attachments = Form.useWatch('attachments', form) ?? []
  const buttonRows = Form.useWatch('buttons', form) ?? []
  const append = (field: 'attachments' | 'buttons', item: unknown) =>
    form.setFieldValue(field, [...(form.getFieldValue(field) ?? []), item])

  return (
    <div
      data-testid="reply-box"
      style={{
        borderTop: '1px solid #f0f0f0',
        marginTop: 8,
        padding: internal ? 10 : '10px 0 0',
        background: internal ? '#fffbe6' : undefined,
        borderRadius: internal ? 8 : undefined,
      }}
    >
      <Form {...formProps} onFinish={submit} layout="vertical" initialValues={{ format: 'plain' }}>
        <Space style={{ marginBottom: 6, justifyContent: 'space-between', width: '100%' }} wrap>
          <label
            style={{ cursor: 'pointer', display: 'inline-flex', gap: 6, alignItems: 'center' }}
          >
            <Switch
              checked={internal}
              onChange={setInternal}
              aria-label="Internal note"
              data-testid="note-toggle"
              size="small"
            />
            <span>
              <LockOutlined /> Internal note
            </span>
          </label>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {internal
              ? 'Only your team sees notes; the customer never does.'
              : hasChannel
                ? null
                : 'No channel: a reply is kept here but reaches nobody.'}
          </Typography.Text>
        </Space>
        <Form.Item name="text" style={{ marginBottom: 8 }}>
          <Input.TextArea
            aria-label={internal ? 'Note' : 'Reply'}
            data-testid="reply-text"
            placeholder={internal ? 'A note for your team…' : 'Write a reply… (Ctrl+Enter sends)'}
            autoSize={{ minRows: 2, maxRows: 10 }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault()
                form.submit()
              }
            }}
          />
        </Form.Item>

        {!internal && (
          <>
            <Form.List name="attachments">
              {(fields, { remove }, { errors }) => (
                <>
                  {fields.map((field) => (
                    <Space
                      key={field.key}
                      align="start"
                      wrap
                      size={6}
                      style={{ display: 'flex', marginBottom: 4 }}
                      data-testid="reply-attachment"
                    >
                      <Form.Item
                        name={[field.name, 'kind']}
                        initialValue="photo"
                        style={{ marginBottom: 4 }}
                      >
                        <Select
                          aria-label="Attachment kind"
                          style={{ width: 100 }}
                          options={[
                            { value: 'photo', label: 'Image' },
                            { value: 'document', label: 'File' },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'url']} style={{ marginBottom: 4 }}>
                        <Input
                          aria-label="Attachment URL"
                          placeholder="https://…"
                          style={{ width: 230 }}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'name']} style={{ marginBottom: 4 }}>
                        <Input
                          aria-label="Attachment name"
                          placeholder="Name (optional)"
                          style={{ width: 140 }}
                        />
                      </Form.Item>
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label="Remove attachment"
                        onClick={() => remove(field.name)}
                      />
                    </Space>
                  ))}
                  <Form.ErrorList errors={errors} />
                </>
              )}
            </Form.List>

            {hasChannel && (
              <Form.List name="buttons">
                {(rows, { remove: removeRow }, { errors: rowErrors }) => (
                  <>
                    {rows.map((row, r) => (
                      <div
                        key={row.key}
                        style={{
                          border: '1px solid #f0f0f0',
                          borderRadius: 8,
                          padding: 8,
                          marginBottom: 6,
                        }}
                        data-testid="reply-button-row"
                      >
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          Button row {r + 1}
                        </Typography.Text>
                        <Form.List name={[row.name]}>
                          {(buttons, { add, remove }, { errors }) => (
                            <>
                              {buttons.map((b) => (
                                <ButtonFields
                                  key={b.key}
                                  name={b.name}
                                  rowName={row.name}
                                  onRemove={() => remove(b.name)}
                                />
                              ))}
                              <Form.ErrorList errors={errors} />
                              <Space size={6}>
                                {buttons.length < 8 && (
                                  <Button
                                    size="small"
                                    icon={<PlusOutlined />}
                                    onClick={() => add({ type: 'data' })}
                                  >
                                    Button
                                  </Button>
                                )}
                                <Button size="small" danger onClick={() => removeRow(row.name)}>
                                  Remove row
                                </Button>
                              </Space>
                            </>
                          )}
                        </Form.List>
                      </div>
                    ))}
                    <Form.ErrorList errors={rowErrors} />
                  </>
                )}
              </Form.List>
            )}
          </>
        )}

        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap size={[8, 8]}>
          {!internal ? (
            <Space wrap size={[4, 4]}>
              <Form.Item name="format" style={{ marginBottom: 0 }}>
                <Select
                  aria-label="Format"
                  data-testid="reply-format"
                  style={{ width: 120 }}
                  options={[
                    { value: 'plain', label: 'Plain text' },
                    { value: 'markdown', label: 'Markdown' },
                  ]}
                />
              </Form.Item>
              {attachments.length < 10 && (
                <Button
                  type="text"
                  icon={<PaperClipOutlined />}
                  onClick={() => append('attachments', { kind: 'photo' })}
                  data-testid="add-attachment"
                >
                  Attach by URL
                </Button>
              )}
              {hasChannel && buttonRows.length < 10 && (
                <Button
                  type="text"
                  icon={<AppstoreAddOutlined />}
                  onClick={() => append('buttons', [{ type: 'data' }])}
                  data-testid="add-button-row"
                >
                  Buttons
                </Button>
              )}
            </Space>
          ) : (
            <span />
          )}
          <Tooltip title="Ctrl+Enter">
            <Button
              type="primary"
              htmlType="submit"
              icon={internal ? <LockOutlined /> : <SendOutlined />}
              loading={formLoading}
              data-testid="reply-send"
            >
              {internal ? 'Add note' : 'Send'}
            </Button>
          </Tooltip>
        </Space>
      </Form>
    </div>
  )
}

function ButtonFields({
  name,
  rowName,
  onRemove,
}: {
  name: number
  rowName: number
  onRemove: () => void
}) {
  const type = Form.useWatch(['buttons', rowName, name, 'type'])
  return (
    <Space align="start" wrap size={6} style={{ display: 'flex', marginTop: 4 }}>
      <Form.Item name={[name, 'text']} style={{ marginBottom: 4 }}>
        <Input aria-label="Button text" placeholder="Text" style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name={[name, 'type']} initialValue="data" style={{ marginBottom: 4 }}>
        <Select
          aria-label="Button action"
          style={{ width: 120 }}
          options={[
            { value: 'data', label: 'Reply with' },
            { value: 'url', label: 'Open link' },
          ]}
        />
      </Form.Item>
      {type === 'url' ? (
        <Form.Item name={[name, 'url']} style={{ marginBottom: 4 }}>
          <Input aria-label="Button link" placeholder="https://…" style={{ width: 200 }} />
        </Form.Item>
      ) : (
        <Form.Item name={[name, 'data']} style={{ marginBottom: 4 }}>
          <Input aria-label="Button data" placeholder="Data sent back" style={{ width: 200 }} />
        </Form.Item>
      )}
      <Button icon={<DeleteOutlined />} aria-label="Remove button" onClick={onRemove} />
    </Space>
  )
}
