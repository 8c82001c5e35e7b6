import { Create } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Card, Col, Form, Result, Row, Space, Typography } from 'antd'
import { useSearchParams } from 'react-router'
import { useCreateShownOnce } from '../../lib/create_once'
import { KindChoice, NameAndTeam } from '../../components/setup_form'
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
  const initialKind: Kind = params.get('platform') === 'telegram' ? 'telegram' : 'slack'

  const { formProps, saveButtonProps, form, onFinish, created } = useCreateShownOnce<
    Workspace,
    WorkspaceForm
  >('workspaces', 'Workspace')
  const kind = (Form.useWatch('platform', form) ?? initialKind) as Kind
  const teamId = Form.useWatch('teamId', form) as number | undefined

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
            <KindChoice
              label="Where do your operators work?"
              kinds={KINDS}
              testId={(k) => `workspace-kind-${k}`}
            />
            <NameAndTeam
              form={form}
              prefix="workspace"
              name={{
                message: 'Name the workspace',
                placeholder: kind === 'slack' ? 'Support Slack' : 'Operators group',
              }}
              team={{ message: 'Choose the team' }}
            />
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
