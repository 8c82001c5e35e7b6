import { Edit, useForm } from '@refinedev/antd'
import type { HttpError } from '@refinedev/core'
import { Col, Descriptions, Form, Input, Row, Typography } from 'antd'
import { useTeams } from '../../lib/lookups'
import { scrollToFirstError } from '../../lib/form_errors'
import { KindFields, RoutingFields, toConfig } from './fields'
import { SetupSteps } from './steps'
import { KindTag, WorkspaceStatus, type Kind, type Workspace } from './shared'

type WorkspaceForm = {
  name: string
  config?: Record<string, any>
  routing?: Workspace['routing']
  enabled?: boolean
}

export default function WorkspaceEdit() {
  const { nameOf } = useTeams()
  const { formProps, saveButtonProps, query, onFinish, form } = useForm<
    Workspace,
    HttpError,
    WorkspaceForm
  >({
    action: 'edit',
    successNotification: (data) => ({ type: 'success', message: `${data?.data?.name} saved` }),
    onMutationError: () => scrollToFirstError(form),
    redirect: 'list',
  })
  const workspace = query?.data?.data
  const kind = workspace?.platform as Kind | undefined

  const submit = (values: WorkspaceForm) => {
    const before = (workspace?.config ?? {}) as Record<string, unknown>
    const config = toConfig(kind!, values.config)
    // The platform re-checks a changed config (Slack's auth.test…); unchanged, it is left out.
    const changed = Object.entries(config).some(([k, v]) => before[k] !== v)
    return onFinish({
      name: values.name,
      enabled: values.enabled,
      routing: {
        conversations: values.routing?.conversations ?? 'handoff',
        channelIds: values.routing?.channelIds ?? [],
        tags: values.routing?.tags ?? [],
      },
      ...(changed ? { config } : {}),
    }).catch(() => undefined)
  }

  return (
    <Edit
      isLoading={query?.isLoading}
      title={workspace ? `Edit ${workspace.name}` : 'Edit workspace'}
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'workspace-save' } as any}
    >
      <Row gutter={32}>
        <Col xs={24} xl={14}>
          {workspace && kind && (
            <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
              <Descriptions.Item label="Kind">
                <KindTag kind={kind} />
              </Descriptions.Item>
              <Descriptions.Item label="Team">{nameOf(workspace.teamId)}</Descriptions.Item>
              <Descriptions.Item label="Status" span={2}>
                <WorkspaceStatus workspace={workspace} />
              </Descriptions.Item>
            </Descriptions>
          )}
          {/* Mounted before the record arrives, so the form can receive it. */}
          <Form {...formProps} onFinish={submit} layout="vertical">
            {workspace && kind && (
              <>
                <Form.Item
                  label="Name"
                  name="name"
                  rules={[{ required: true, whitespace: true, message: 'Name the workspace' }]}
                >
                  <Input maxLength={100} data-testid="workspace-name" />
                </Form.Item>
                <KindFields kind={kind} teamId={workspace.teamId} editing />
                <Typography.Title level={5}>Routing</Typography.Title>
                <RoutingFields teamId={workspace.teamId} />
              </>
            )}
          </Form>
        </Col>
        <Col xs={24} xl={10}>
          {workspace && kind && <SetupSteps kind={kind} webhookUrl={workspace.webhookUrl} />}
        </Col>
      </Row>
    </Edit>
  )
}
