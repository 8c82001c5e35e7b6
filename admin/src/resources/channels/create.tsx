import { Create } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Card, Form, Result, Space } from 'antd'
import { useSearchParams } from 'react-router'
import { useTeams } from '../../lib/lookups'
import { useCreateShownOnce } from '../../lib/create_once'
import { KindChoice, NameAndTeam } from '../../components/setup_form'
import { PlatformFields } from './fields'
import { ChannelEndpoints } from './endpoints'
import { CONFIG_KEYS, PLATFORMS, type Channel, type Platform } from './shared'

type ChannelForm = {
  platform: Platform
  name: string
  teamId: number
  config: Record<string, unknown>
}

/** One form per platform, each field explained; after saving, what to copy (shown once). */
export default function ChannelCreate() {
  const go = useGo()
  const [params] = useSearchParams()
  const { teams } = useTeams()
  const initialPlatform = (params.get('platform') === 'api' ? 'api' : 'telegram') as Platform

  const { formProps, saveButtonProps, form, onFinish, created } = useCreateShownOnce<
    Channel,
    ChannelForm
  >('channels', 'Channel')
  const platform = (Form.useWatch('platform', form) ?? initialPlatform) as Platform

  if (created) {
    return (
      <Card data-testid="channel-created">
        <Result
          status="success"
          title={`${created.name} is set up`}
          subTitle={
            created.platform === 'api'
              ? 'Copy these into your app now: the key and the secret are not shown again.'
              : 'Customers can write to the bot now. Replies come from the team.'
          }
          style={{ paddingBottom: 0 }}
        />
        <div style={{ maxWidth: 860, margin: '0 auto' }}>
          <ChannelEndpoints channel={created} />
          <Space style={{ marginTop: 24 }}>
            <Button
              type="primary"
              onClick={() => go({ to: `/channels/${created.id}` })}
              data-testid="channel-created-open"
            >
              Open the channel
            </Button>
            <Button onClick={() => go({ to: '/channels' })}>All channels</Button>
          </Space>
        </div>
      </Card>
    )
  }

  const submit = (values: ChannelForm) => {
    // Only this platform's settings (the other form's may linger); empty ones left out.
    const config = Object.fromEntries(
      Object.entries(values.config ?? {}).filter(
        ([k, v]) => CONFIG_KEYS[values.platform].includes(k) && v !== undefined && v !== ''
      )
    )
    return onFinish({ ...values, config }).catch(() => undefined)
  }

  return (
    <Create
      title="New channel"
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'channel-save' } as any}
    >
      <Form
        {...formProps}
        onFinish={submit}
        scrollToFirstError
        layout="vertical"
        initialValues={{
          platform: initialPlatform,
          teamId: teams.length === 1 ? teams[0].id : undefined,
          config: { mode: 'polling' },
        }}
      >
        <KindChoice
          label="Where do customers write?"
          kinds={PLATFORMS}
          testId={(p) => `channel-platform-${p}`}
        />
        <NameAndTeam
          form={form}
          prefix="channel"
          name={{
            message: 'Name the channel',
            extra: 'For you and your operators, e.g. “Support bot” or “Mobile app”.',
          }}
          team={{
            message: 'Choose the team that answers',
            extra: 'Its conversations go to this team.',
          }}
        />
        <PlatformFields key={platform} platform={platform} />
      </Form>
    </Create>
  )
}
