import { useEffect, useState } from 'react'
import { Create, useForm } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Card, Col, Form, Input, Radio, Result, Row, Select, Space, Typography } from 'antd'
import { useSearchParams } from 'react-router'
import { useTeams } from '../../lib/teams'
import { scrollToFirstError } from '../../lib/form_errors'
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
  const [created, setCreated] = useState<Channel | null>(null)
  const initialPlatform = (params.get('platform') === 'api' ? 'api' : 'telegram') as Platform

  const { formProps, saveButtonProps, form, onFinish } = useForm<Channel, any, ChannelForm>({
    resource: 'channels',
    action: 'create',
    redirect: false,
    successNotification: (data) => ({
      type: 'success',
      message: `Channel “${data?.data?.name}” created`,
    }),
    onMutationSuccess: (data) => setCreated(data.data),
    onMutationError: () => scrollToFirstError(form),
  })
  const platform = (Form.useWatch('platform', form) ?? initialPlatform) as Platform
  useEffect(() => {
    // With one team there is nothing to choose.
    if (teams.length === 1 && !form.getFieldValue('teamId'))
      form.setFieldValue('teamId', teams[0].id)
  }, [teams, form])

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
        <Form.Item label="Where do customers write?" name="platform">
          <Radio.Group style={{ width: '100%' }}>
            <Row gutter={12}>
              {(Object.keys(PLATFORMS) as Platform[]).map((p) => (
                <Col key={p} xs={24} md={12}>
                  <Radio.Button
                    value={p}
                    style={{
                      height: 'auto',
                      width: '100%',
                      padding: '10px 14px',
                      whiteSpace: 'normal',
                      lineHeight: 1.4,
                    }}
                    data-testid={`channel-platform-${p}`}
                  >
                    <Typography.Text strong>{PLATFORMS[p].label}</Typography.Text>
                    <br />
                    <Typography.Text type="secondary">{PLATFORMS[p].summary}</Typography.Text>
                  </Radio.Button>
                </Col>
              ))}
            </Row>
          </Radio.Group>
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="Name"
              name="name"
              rules={[{ required: true, whitespace: true, message: 'Name the channel' }]}
              extra="For you and your operators, e.g. “Support bot” or “Mobile app”."
            >
              <Input maxLength={100} data-testid="channel-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="Team"
              name="teamId"
              rules={[{ required: true, message: 'Choose the team that answers' }]}
              extra="Its conversations go to this team."
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={teams.map((t) => ({ value: t.id, label: t.name }))}
                placeholder="Choose a team"
                aria-label="Team"
                data-testid="channel-team"
              />
            </Form.Item>
          </Col>
        </Row>
        <PlatformFields key={platform} platform={platform} />
      </Form>
    </Create>
  )
}
