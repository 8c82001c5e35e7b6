import { useState } from 'react'
import {
  CreateButton,
  DeleteButton,
  EditButton,
  List,
  useModalForm,
  useTable,
} from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Empty, Form, Input, Modal, Space, Table, Typography } from 'antd'
import type { HttpError } from '@refinedev/core'
import { FileTextOutlined } from '@ant-design/icons'
import { TeamSelect } from '../../components/team_select'
import { date } from '../../lib/format'
import { useTeams } from '../../lib/lookups'
import { KnowledgeNav } from './nav'
import { useCanManageKnowledge, type Collection } from './shared'

type CollectionForm = { teamId?: number; name: string; description?: string | null }

/** A team's collections; created and renamed in a dialog, since a collection is two fields. */
export default function CollectionsPage() {
  const go = useGo()
  const canManage = useCanManageKnowledge()
  const { teams, nameOf } = useTeams()
  const severalTeams = teams.length > 1

  const { tableProps, searchFormProps, filters, tableQuery } = useTable<
    Collection,
    HttpError,
    { teamId?: number }
  >({
    resource: 'collections',
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 20 },
    onSearch: (values) => [{ field: 'teamId', operator: 'eq', value: values.teamId ?? undefined }],
  })
  const teamFilter = filters.find((f) => 'field' in f && f.field === 'teamId')?.value as
    number | undefined

  const create = useModalForm<Collection, HttpError, CollectionForm>({
    action: 'create',
    resource: 'collections',
    errorNotification: unlessNameTaken,
    successNotification: (data) => ({
      type: 'success',
      message: `Collection “${data?.data?.name}” created`,
    }),
  })
  const [editing, setEditing] = useState<number>()

  const openCreate = () => {
    create.show()
    // One team: nothing to choose.
    if (teams.length === 1) create.form.setFieldValue('teamId', teams[0].id)
    else if (teamFilter) create.form.setFieldValue('teamId', teamFilter)
  }

  const documentsOf = (collection: Collection) =>
    go({
      to: '/knowledge/documents',
      query: {
        filters: [{ field: 'collectionId', operator: 'eq', value: collection.id }],
      },
    })

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        teamFilter ? (
          'This team has no collections yet.'
        ) : (
          <span>
            No collections yet. A collection groups the documents the assistant answers from,
            <br />
            such as a “Help centre” or “Return policies”.
          </span>
        )
      }
    >
      {canManage ? (
        <Button type="primary" onClick={openCreate} data-testid="collections-empty-create">
          Create a collection
        </Button>
      ) : (
        <Typography.Text type="secondary">
          A supervisor of your team can create one.
        </Typography.Text>
      )}
    </Empty>
  )

  return (
    <List
      title="Collections"
      breadcrumb={<KnowledgeNav active="collections" />}
      headerButtons={
        <Space>
          <Form {...searchFormProps} layout="inline">
            {severalTeams && (
              <Form.Item name="teamId" noStyle>
                <TeamSelect
                  allowClear
                  placeholder="All teams"
                  style={{ width: 200 }}
                  onChange={() => searchFormProps.form?.submit()}
                  aria-label="Filter by team"
                  data-testid="collections-team-filter"
                />
              </Form.Item>
            )}
          </Form>
          <CreateButton resource="collections" onClick={openCreate} data-testid="collection-create">
            New collection
          </CreateButton>
        </Space>
      }
    >
      <Table
        {...tableProps}
        rowKey="id"
        data-testid="collections-table"
        locale={{ emptyText: () => (tableQuery.isLoading ? ' ' : empty) }}
      >
        <Table.Column<Collection>
          dataIndex="name"
          title="Name"
          sorter
          render={(name, record) => (
            <Space direction="vertical" size={0}>
              <Typography.Link onClick={() => documentsOf(record)}>{name}</Typography.Link>
              {record.description && (
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 480 }}>
                  {record.description}
                </Typography.Text>
              )}
            </Space>
          )}
        />
        {severalTeams && (
          <Table.Column<Collection> dataIndex="teamId" title="Team" render={(id) => nameOf(id)} />
        )}
        <Table.Column<Collection>
          dataIndex="createdAt"
          title="Created"
          sorter
          width={140}
          render={(value) => date(value)}
        />
        <Table.Column<Collection>
          title="Actions"
          width={260}
          render={(_, record) => (
            <Space>
              <Button
                size="small"
                icon={<FileTextOutlined />}
                onClick={() => documentsOf(record)}
                aria-label={`Documents of ${record.name}`}
              >
                Documents
              </Button>
              <EditButton
                size="small"
                resource="collections"
                recordItemId={record.id}
                onClick={() => setEditing(record.id)}
                aria-label={`Rename ${record.name}`}
              />
              <DeleteButton
                size="small"
                hideText
                resource="collections"
                recordItemId={record.id}
                confirmTitle={`Delete “${record.name}” and all its documents?`}
                confirmOkText="Delete collection"
                aria-label={`Delete ${record.name}`}
                data-testid={`collection-delete-${record.id}`}
                successNotification={{
                  type: 'success',
                  message: `Collection “${record.name}” deleted`,
                }}
              />
            </Space>
          )}
        />
      </Table>

      <Modal
        {...create.modalProps}
        width={560}
        title="New collection"
        okText="Create"
        forceRender
        data-testid="collection-create-modal"
      >
        <CollectionFields
          form={create.formProps}
          name="collection-create"
          testId="collection"
          withTeam
          chooseTeam={severalTeams}
        />
      </Modal>
      {editing && (
        <EditCollection key={editing} id={editing} onClosed={() => setEditing(undefined)} />
      )}
    </List>
  )
}

/** Mounted per edit, so the form always loads the record it was opened for. */
function EditCollection({ id, onClosed }: { id: number; onClosed: () => void }) {
  const edit = useModalForm<Collection, HttpError, CollectionForm>({
    action: 'edit',
    resource: 'collections',
    id,
    errorNotification: unlessNameTaken,
    defaultVisible: true,
    successNotification: (data) => ({
      type: 'success',
      message: `Collection “${data?.data?.name}” saved`,
    }),
  })
  return (
    <Modal
      {...edit.modalProps}
      width={560}
      title="Edit collection"
      okText="Save"
      afterClose={onClosed}
    >
      <CollectionFields form={edit.formProps} name="collection-edit" testId="collection-edit" />
    </Modal>
  )
}

/** The collection's fields; the team is chosen on creation only (a collection never moves). */
function CollectionFields({
  form,
  name,
  testId,
  withTeam = false,
  chooseTeam = false,
}: {
  form: ReturnType<typeof useModalForm<Collection, HttpError, CollectionForm>>['formProps']
  name: string
  testId: string
  withTeam?: boolean
  chooseTeam?: boolean
}) {
  return (
    <Form
      {...form}
      name={name}
      layout="vertical"
      onFinish={async (values) => {
        try {
          await form.onFinish?.(values)
        } catch (error) {
          // Names are unique per team; say so where the name is typed.
          if ((error as HttpError)?.statusCode === 409) {
            form.form?.setFields([
              { name: 'name', errors: ['This team already has a collection with this name'] },
            ])
          }
          // Anything else was shown by the notification or on its field.
        }
      }}
    >
      {withTeam && (
        <Form.Item
          name="teamId"
          label="Team"
          hidden={!chooseTeam}
          rules={[{ required: true, message: 'Choose the team whose assistant uses it' }]}
        >
          <TeamSelect data-testid={`${testId}-team`} />
        </Form.Item>
      )}
      <Form.Item
        name="name"
        label="Name"
        rules={[{ required: true, whitespace: true, message: 'Give the collection a name' }]}
      >
        <Input maxLength={100} placeholder="Help centre" autoFocus data-testid={`${testId}-name`} />
      </Form.Item>
      <Form.Item name="description" label="Description">
        <Input.TextArea
          maxLength={1000}
          autoSize={{ minRows: 2, maxRows: 6 }}
          placeholder="What it holds, for your colleagues"
          data-testid={`${testId}-description`}
        />
      </Form.Item>
    </Form>
  )
}

/** A taken name is said on the name field; other failures get a notification. */
function unlessNameTaken(error?: HttpError) {
  if (error?.statusCode === 409) return false as const
  if (error?.errors && Object.keys(error.errors).length) return false as const
  return {
    type: 'error' as const,
    message: error?.message ?? 'The collection could not be saved.',
    description: 'Not saved',
  }
}
