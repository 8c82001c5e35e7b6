import { CreateButton, List, useModalForm, useTable } from '@refinedev/antd'
import {
  Button,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { Schemas } from '../../api/types'
import { useUsers, userName } from '../../lib/lookups'
import { date } from '../../lib/format'
import { RecordTable, RowDeleteButton } from '../../components/list_parts'
import { quietly, unlessConflict } from '../../lib/form_errors'

type Identity = Schemas['OperatorIdentity']
type IdentityForm = {
  userId: number
  platform: 'slack' | 'telegram'
  externalId: string
  displayName?: string
}

const HELP = {
  slack: (
    <span>
      Slack workspace id and member id, joined by a colon:{' '}
      <Typography.Text code>T0123ABCD:U0456EFGH</Typography.Text>. The member id is in the person's
      Slack profile (⋮ → Copy member ID); the workspace id is in the browser address of Slack (
      <Typography.Text code>app.slack.com/client/T…</Typography.Text>). Only needed when their Slack
      email differs from their Switchboard one.
    </span>
  ),
  telegram: (
    <span>
      Their numeric Telegram user id, e.g. <Typography.Text code>123456789</Typography.Text> (not
      the @username). They can get it by writing to a bot such as @userinfobot.
    </span>
  ),
}

/** Which Slack or Telegram account acts as which user when replying from a workspace. */
export default function OperatorIdentities() {
  const { users, userById } = useUsers()
  const { tableProps, searchFormProps, tableQuery } = useTable<Identity>({
    resource: 'operator-identities',
    pagination: { pageSize: 20 },
    sorters: { mode: 'off' },
  })
  const create = useModalForm<Identity, any, IdentityForm>({
    resource: 'operator-identities',
    action: 'create',
    successNotification: { type: 'success', message: 'Account linked' },
    // The API names the field of a duplicate (externalId): shown there, not in a toast.
    errorNotification: unlessConflict,
  })
  const platform = (Form.useWatch('platform', create.form) ?? 'telegram') as 'slack' | 'telegram'

  const open = () => {
    create.show()
    create.form.setFieldsValue({ platform: 'telegram' })
  }

  return (
    <List
      title="Operator identities"
      headerButtons={
        <CreateButton onClick={open} data-testid="identity-create">
          Link an account
        </CreateButton>
      }
    >
      <Typography.Paragraph type="secondary" style={{ maxWidth: 820 }}>
        When someone replies in an operator workspace, Switchboard needs to know which user they
        are. Slack accounts are matched by email automatically; Telegram accounts (and Slack
        accounts with another email) are linked here.
      </Typography.Paragraph>
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        empty={
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No accounts linked yet.">
            <Button type="primary" onClick={open} data-testid="identities-empty-create">
              Link an account
            </Button>
          </Empty>
        }
        data-testid="identities-table"
      >
        <Table.Column<Identity>
          dataIndex="userId"
          title="User"
          render={(id: number) => {
            const user = userById.get(id)
            return user ? (
              <Space direction="vertical" size={0}>
                <Typography.Text>{userName(user)}</Typography.Text>
                <Typography.Text type="secondary">{user.email}</Typography.Text>
              </Space>
            ) : (
              `User #${id}`
            )
          }}
        />
        <Table.Column<Identity>
          dataIndex="platform"
          title="Platform"
          width={120}
          render={(p) => (
            <Tag color={p === 'slack' ? 'purple' : 'blue'}>
              {p === 'slack' ? 'Slack' : 'Telegram'}
            </Tag>
          )}
        />
        <Table.Column<Identity>
          dataIndex="externalId"
          title="Account id"
          render={(v, r) => (
            <Space direction="vertical" size={0}>
              <Typography.Text code>{v}</Typography.Text>
              {r.displayName && <Typography.Text type="secondary">{r.displayName}</Typography.Text>}
            </Space>
          )}
        />
        <Table.Column<Identity>
          dataIndex="createdAt"
          title="Linked"
          width={130}
          render={(v) => date(v)}
        />
        <Table.Column<Identity>
          title=""
          width={80}
          render={(_, r) => (
            <RowDeleteButton
              recordItemId={r.id}
              aria-label={`Unlink ${r.externalId}`}
              data-testid={`identity-delete-${r.id}`}
              confirmTitle="Unlink this account? Its replies in the workspace are refused until it is linked again."
              confirmOkText="Unlink"
              successNotification={{ type: 'success', message: 'Account unlinked' }}
            />
          )}
        />
      </RecordTable>
      <Modal
        {...create.modalProps}
        width={520}
        title="Link a Slack or Telegram account"
        okText="Link"
        okButtonProps={
          { ...create.modalProps.okButtonProps, 'data-testid': 'identity-save' } as any
        }
      >
        <Form
          {...create.formProps}
          name="identity-create"
          layout="vertical"
          // A refused save (409, 422) stays open with the errors on the fields.
          onFinish={quietly(create.formProps.onFinish)}
        >
          <Form.Item
            label="User"
            name="userId"
            rules={[{ required: true, message: 'Choose the user' }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={users.map((u) => ({ value: u.id, label: `${userName(u)} · ${u.email}` }))}
              placeholder="Who is it?"
              aria-label="User"
              data-testid="identity-user"
            />
          </Form.Item>
          <Form.Item label="Platform" name="platform">
            <Radio.Group data-testid="identity-platform">
              <Radio.Button value="telegram">Telegram</Radio.Button>
              <Radio.Button value="slack">Slack</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            label="Account id"
            name="externalId"
            rules={[
              { required: true, message: 'Enter the account id' },
              platform === 'telegram'
                ? { pattern: /^\d{1,20}$/, message: 'A Telegram user id is a number' }
                : {
                    pattern: /^[A-Z0-9]+:[A-Z0-9]+$/,
                    message: 'Workspace id and member id, like T0123ABCD:U0456EFGH',
                  },
            ]}
            extra={HELP[platform]}
          >
            <Input data-testid="identity-external-id" />
          </Form.Item>
          <Form.Item
            label="Display name"
            name="displayName"
            extra="Optional, to recognise the account here."
          >
            <Input maxLength={200} data-testid="identity-display-name" />
          </Form.Item>
        </Form>
      </Modal>
    </List>
  )
}
