import { Edit, useForm } from '@refinedev/antd'
import type { HttpError } from '@refinedev/core'
import { Alert, Form, Input } from 'antd'
import { scrollToFirstError } from '../../lib/form_errors'
import { PlatformFields } from './fields'
import { CONFIG_KEYS, PlatformTag, type Channel, type Platform } from './shared'

type ChannelForm = { name: string; config?: Record<string, unknown> }

/** Name and settings; the config is sent only when it changed, since the platform re-checks it. */
export default function ChannelEdit() {
  const { formProps, saveButtonProps, query, onFinish, form } = useForm<
    Channel,
    HttpError,
    ChannelForm
  >({
    action: 'edit',
    successNotification: (data) => ({ type: 'success', message: `${data?.data?.name} saved` }),
    onMutationError: () => scrollToFirstError(form),
    redirect: 'show',
  })
  const channel = query?.data?.data
  const platform = channel?.platform as Platform | undefined

  const submit = (values: ChannelForm) => {
    const before = (channel?.config ?? {}) as Record<string, unknown>
    const config: Record<string, unknown> = {}
    for (const key of CONFIG_KEYS[platform!] ?? []) {
      const value = values.config?.[key]
      // Empty secrets and unchanged settings keep what is stored.
      if (value === undefined || value === '' || value === before[key]) continue
      config[key] = value
    }
    const changed = Object.keys(config).length > 0
    if (changed && platform === 'telegram' && !config.mode) config.mode = before.mode
    return onFinish({ name: values.name, ...(changed ? { config } : {}) }).catch(() => undefined)
  }

  return (
    <Edit
      isLoading={query?.isLoading}
      title={channel ? `Edit ${channel.name}` : 'Edit channel'}
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'channel-save' } as any}
      canDelete={false}
    >
      {/* Mounted before the record arrives, so the form can receive it. */}
      <Form {...formProps} onFinish={submit} layout="vertical" style={{ maxWidth: 760 }}>
        {platform && (
          <>
            <Form.Item label="Platform">
              <PlatformTag platform={platform} />
            </Form.Item>
            <Form.Item
              label="Name"
              name="name"
              rules={[{ required: true, whitespace: true, message: 'Name the channel' }]}
            >
              <Input maxLength={100} data-testid="channel-name" />
            </Form.Item>
            <PlatformFields platform={platform} editing />
            {platform === 'api' && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message="The inbound key and webhook secret stay the same. To get new ones, create a new channel."
              />
            )}
          </>
        )}
      </Form>
    </Edit>
  )
}
