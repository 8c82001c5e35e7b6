import { CreateButton, EditButton, List, useModalForm, useTable } from '@refinedev/antd'
import {
  Alert,
  ColorPicker,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { Schemas } from '../../api/types'
import { useTeams } from '../../lib/lookups'
import { date } from '../../lib/format'
import { RecordTable, RowDeleteButton } from '../../components/list_parts'
import { conflictOnField, quietly, unlessConflict } from '../../lib/form_errors'

type TagRecord = Schemas['Tag']
type TagForm = { teamId?: number; name: string; color?: string | null }

// The API's rule: a letter or digit, then letters, digits, _ - . : (50 at most), lower-cased.
const NAME = /^[\p{L}\p{N}][\p{L}\p{N}_\-.:]{0,49}$/u

const nameRules = [
  { required: true, message: 'Name the tag' },
  { pattern: NAME, message: 'One word: letters, digits and _ - . : (no spaces), at most 50' },
]

function ColorField() {
  return (
    <Form.Item
      label="Colour"
      name="color"
      getValueFromEvent={(color: any) => (color && !color.cleared ? color.toHexString() : null)}
      extra="Optional; how the tag looks in the inbox."
    >
      <ColorPicker
        allowClear
        format="hex"
        presets={[
          {
            label: 'Suggested',
            colors: [
              '#f5222d',
              '#fa8c16',
              '#fadb14',
              '#52c41a',
              '#13c2c2',
              '#1677ff',
              '#722ed1',
              '#eb2f96',
              '#8c8c8c',
            ],
          },
        ]}
      />
    </Form.Item>
  )
}

/** Each team's tag catalogue. Renaming or deleting a tag rewrites the conversations carrying it. */
export default function TagsList() {
  const { teams, nameOf } = useTeams()
  const severalTeams = teams.length > 1
  const { tableProps, searchFormProps, tableQuery, filters, setFilters } = useTable<TagRecord>({
    resource: 'tags',
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 50 },
  })
  const teamFilter = filters.find((f) => 'field' in f && f.field === 'teamId')?.value as
    number | undefined

  const create = useModalForm<TagRecord, any, TagForm>({
    resource: 'tags',
    action: 'create',
    errorNotification: unlessConflict,
    onMutationError: (error) => conflictOnField(create.form, 'name', error),
    successNotification: (data) => ({
      type: 'success',
      message: `Tag “${data?.data?.name}” created`,
    }),
  })
  const edit = useModalForm<TagRecord, any, TagForm>({
    action: 'edit',
    errorNotification: unlessConflict,
    onMutationError: (error) => conflictOnField(edit.form, 'name', error),
    successNotification: { type: 'success', message: 'Tag saved; conversations updated' },
  })
  const openCreate = () => {
    create.show()
    const teamId = teams.length === 1 ? teams[0].id : teamFilter
    if (teamId) create.form.setFieldValue('teamId', Number(teamId))
  }

  return (
    <List
      title="Tags"
      headerButtons={
        <Space>
          {severalTeams && (
            <Select
              allowClear
              placeholder="All teams"
              aria-label="Filter by team"
              data-testid="tags-team-filter"
              value={teamFilter ? Number(teamFilter) : undefined}
              onChange={(v) =>
                setFilters([{ field: 'teamId', operator: 'eq', value: v ?? undefined }], 'merge')
              }
              options={teams.map((t) => ({ value: t.id, label: t.name }))}
              style={{ width: 200 }}
            />
          )}
          <CreateButton onClick={openCreate} data-testid="tag-create">
            New tag
          </CreateButton>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        Tags sort conversations; operators and rules add them. Renaming or deleting a tag changes
        every conversation that carries it.
      </Typography.Paragraph>
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        empty={
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description="No tags yet. Tags sort conversations (billing, bug, vip…); rules and operators add them."
          >
            <CreateButton onClick={openCreate} data-testid="tags-empty-create">
              Create a tag
            </CreateButton>
          </Empty>
        }
        data-testid="tags-table"
      >
        <Table.Column<TagRecord>
          dataIndex="name"
          title="Tag"
          sorter
          render={(name, t) => (
            <Tag color={t.color ?? undefined} data-testid={`tag-${t.id}`}>
              {name}
            </Tag>
          )}
        />
        {severalTeams && (
          <Table.Column<TagRecord> dataIndex="teamId" title="Team" render={(id) => nameOf(id)} />
        )}
        <Table.Column<TagRecord>
          dataIndex="createdAt"
          title="Created"
          width={140}
          render={(v) => date(v)}
        />
        <Table.Column<TagRecord>
          title="Actions"
          width={130}
          render={(_, t) => (
            <Space>
              <EditButton
                hideText
                size="small"
                recordItemId={t.id}
                onClick={() => edit.show(t.id)}
                aria-label={`Rename ${t.name}`}
                data-testid={`tag-edit-${t.id}`}
              />
              <RowDeleteButton
                recordItemId={t.id}
                aria-label={`Delete ${t.name}`}
                data-testid={`tag-delete-${t.id}`}
                confirmTitle={`Delete “${t.name}”? It is removed from every conversation that carries it.`}
                successNotification={{ type: 'success', message: `Tag “${t.name}” deleted` }}
              />
            </Space>
          )}
        />
      </RecordTable>

      <Modal
        {...create.modalProps}
        width={520}
        title="New tag"
        okText="Create"
        okButtonProps={{ ...create.modalProps.okButtonProps, 'data-testid': 'tag-save' } as any}
      >
        <Form
          {...create.formProps}
          name="tag-create"
          layout="vertical"
          // A refused save (409, 422) stays open with the errors on the fields.
          onFinish={quietly(create.formProps.onFinish)}
        >
          <Form.Item
            label="Team"
            name="teamId"
            rules={[{ required: true, message: 'Choose the team' }]}
            hidden={!severalTeams}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={teams.map((t) => ({ value: t.id, label: t.name }))}
              placeholder="Choose a team"
              aria-label="Team"
              data-testid="tag-team"
            />
          </Form.Item>
          <Form.Item label="Name" name="name" rules={nameRules} extra="Stored in lower case.">
            <Input maxLength={50} data-testid="tag-name" />
          </Form.Item>
          <ColorField />
        </Form>
      </Modal>

      <Modal
        {...edit.modalProps}
        width={520}
        title="Rename tag"
        okText="Save"
        okButtonProps={
          { ...edit.modalProps.okButtonProps, 'data-testid': 'tag-rename-save' } as any
        }
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message="A new name replaces the old one on every conversation that carries the tag. Rules that mention the old name are not changed."
        />
        <Form
          {...edit.formProps}
          name="tag-rename"
          layout="vertical"
          // A refused save (409, 422) stays open with the errors on the fields.
          onFinish={quietly(edit.formProps.onFinish)}
        >
          <Form.Item label="Name" name="name" rules={nameRules}>
            <Input maxLength={50} data-testid="tag-rename-name" />
          </Form.Item>
          <ColorField />
        </Form>
        <Typography.Text type="secondary">
          Team: {nameOf(edit.query?.data?.data?.teamId)}
        </Typography.Text>
      </Modal>
    </List>
  )
}
