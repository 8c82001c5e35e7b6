import { useEffect, useState } from 'react'
import { Create, useForm } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Card, Col, Form, Input, Radio, Result, Row, Select, Space, Typography } from 'antd'
import { useSearchParams } from 'react-router'
import { useTeams } from '../../lib/teams'
import { scrollToFirstError } from '../../lib/form_errors'
import { KindFields, RoutingFields, toConfig } from './fields'
import { SetupSteps } from './steps'
import { KINDS, type Kind, type Workspace } from './shared'

type WorkspaceForm = {
  platform: Kind
  name: string
  teamId: number
  config?: Record<string, any>
  routing?: Workspace['routing']
  enabled?: boolean
}

export default function WorkspaceCreate() {
  const go = useGo()
  const [params] = useSearchParams()
  const { teams } = useTeams()
  const [created, setCreated] = useState<Workspace | null>(null)
  const initialKind: Kind = params.get('platform') === 'telegram' ? 'telegram' : 'slack'

  const { formProps, saveButtonProps, form, onFinish } = useForm<Workspace, any, WorkspaceForm>({
    resource: 'workspaces',
    action: 'create',
    redirect: false,
    successNotification: (data) => ({
      type: 'success',
      message: `Workspace “${data?.data?.name}” created`,
    }),
    onMutationSuccess: (data) => setCreated(data.data),
    onMutationError: () => scrollToFirstError(form),
  })
  const kind = (Form.useWatch('platform', form) ?? initialKind) as Kind
  const teamId = Form.useWatch('teamId', form) as number | undefined
  useEffect(() => {
    if (teams.length === 1 && !form.getFieldValue('teamId'))
      form.setFieldValue('teamId', teams[0].id)
  }, [teams, form])

  if (created) {
    return (
      <Card data-testid="workspace-created">
        <Result
          status="success"
          title={`${created.name} is connected`}
          subTitle={
            created.platform === 'slack'
              ? 'One step left in Slack: paste the Request URL into the app (step 6).'
              : 'Conversations handed to people now open topics in the group.'
          }
          style={{ paddingBottom: 0 }}
        />
        <div style={{ maxWidth: 760, margin: '0 auto' }}>
          <SetupSteps kind={created.platform as Kind} webhookUrl={created.webhookUrl} />
          <Space style={{ marginTop: 24 }}>
            <Button
              type="primary"
              onClick={() => go({ to: '/workspaces' })}
              data-testid="workspace-created-done"
            >
              Done
            </Button>
            <Button onClick={() => go({ to: '/operator-identities' })}>
              Link operators' accounts
            </Button>
          </Space>
        </div>
      </Card>
    )
  }

  const submit = (values: WorkspaceForm) =>
    onFinish({ ...values, config: toConfig(values.platform, values.config) }).catch(() => undefined)

  return (
    <Create
      title="New operator workspace"
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'workspace-save' } as any}
    >
      <Row gutter={32}>
        <Col xs={24} xl={14}>
          <Form
            {...formProps}
            onFinish={submit}
            scrollToFirstError
            layout="vertical"
            initialValues={{
              platform: initialKind,
              routing: { conversations: 'handoff' },
              enabled: true,
            }}
          >
            <Typography.Paragraph type="secondary">
              Operators can answer customers from their own chat tool: each conversation that needs
              a person appears there, with buttons to claim and resolve it.
            </Typography.Paragraph>
            <Form.Item label="Where do your operators work?" name="platform">
              <Radio.Group style={{ width: '100%' }}>
                <Row gutter={12}>
                  {(Object.keys(KINDS) as Kind[]).map((k) => (
                    <Col key={k} xs={24} md={12}>
                      <Radio.Button
                        value={k}
                        style={{
                          height: 'auto',
                          width: '100%',
                          padding: '10px 14px',
                          whiteSpace: 'normal',
                          lineHeight: 1.4,
                        }}
                        data-testid={`workspace-kind-${k}`}
                      >
                        <Typography.Text strong>{KINDS[k].label}</Typography.Text>
                        <br />
                        <Typography.Text type="secondary">{KINDS[k].summary}</Typography.Text>
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
                  rules={[{ required: true, whitespace: true, message: 'Name the workspace' }]}
                >
                  <Input
                    maxLength={100}
                    placeholder={kind === 'slack' ? 'Support Slack' : 'Operators group'}
                    data-testid="workspace-name"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  label="Team"
                  name="teamId"
                  rules={[{ required: true, message: 'Choose the team' }]}
                >
                  <Select
                    showSearch
                    optionFilterProp="label"
                    options={teams.map((t) => ({ value: t.id, label: t.name }))}
                    placeholder="Choose a team"
                    aria-label="Team"
                    data-testid="workspace-team"
                  />
                </Form.Item>
              </Col>
            </Row>
            <KindFields key={kind} kind={kind} teamId={teamId} />
            <Typography.Title level={5}>Routing</Typography.Title>
            <RoutingFields teamId={teamId} />
          </Form>
        </Col>
        <Col xs={24} xl={10}>
          <div style={{ position: 'sticky', top: 16 }}>
            <SetupSteps kind={kind} />
          </div>
        </Col>
      </Row>
    </Create>
  )
}
