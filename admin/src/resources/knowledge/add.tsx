import { useDeferredValue, useEffect, useState } from 'react'
import { Create, MarkdownField, SaveButton, useForm } from '@refinedev/antd'
import { CanAccess, type HttpError } from '@refinedev/core'
import {
  Alert,
  Card,
  Col,
  Form,
  Input,
  Result,
  Row,
  Tabs,
  Typography,
  type FormInstance,
} from 'antd'
import { CloudUploadOutlined, EditOutlined, LinkOutlined } from '@ant-design/icons'
import { Link, useSearchParams } from 'react-router'
import { CollectionSelect, useCollections, type KnowledgeDocument } from './shared'
import UploadPanel from './upload'

type Tab = 'write' | 'upload' | 'url'
const TABS: Tab[] = ['write', 'upload', 'url']

/**
 * Adding knowledge, three ways: writing Markdown, uploading files, importing
 * a page. The collection chosen carries from one tab to the next.
 */
export default function AddDocumentsPage() {
  const [params, setParams] = useSearchParams()
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'write'
  const fromUrl = Number(params.get('collectionId')) || undefined
  const { collections, loading } = useCollections()
  const [collectionId, setCollectionId] = useState<number | undefined>(fromUrl)

  // With a single collection there is nothing to choose.
  useEffect(() => {
    if (!collectionId && collections.length === 1) setCollectionId(collections[0].id)
  }, [collections, collectionId])

  const setTab = (next: string) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current)
        copy.set('tab', next)
        return copy
      },
      { replace: true }
    )

  return (
    <CanAccess
      resource="documents"
      action="create"
      fallback={
        <Result
          status="403"
          title="Read-only"
          subTitle="Your role can read and search knowledge; supervisors and admins add to it."
        />
      }
    >
      <Create title="Add documents" footerButtons={() => null} saveButtonProps={{ hidden: true }}>
        {!loading && collections.length === 0 ? (
          <Alert
            type="info"
            showIcon
            message="Create a collection first"
            description={
              <span>
                Documents live in collections. <Link to="/knowledge/collections">Create one</Link>,
                then come back here.
              </span>
            }
          />
        ) : (
          <Tabs
            activeKey={tab}
            onChange={setTab}
            destroyOnHidden={false}
            items={[
              {
                key: 'write',
                forceRender: true,
                label: (
                  <span data-testid="tab-write">
                    <EditOutlined /> Write
                  </span>
                ),
                children: (
                  <WriteForm collectionId={collectionId} onCollectionChange={setCollectionId} />
                ),
              },
              {
                key: 'upload',
                label: (
                  <span data-testid="tab-upload">
                    <CloudUploadOutlined /> Upload files
                  </span>
                ),
                children: (
                  <UploadPanel collectionId={collectionId} onCollectionChange={setCollectionId} />
                ),
              },
              {
                key: 'url',
                forceRender: true,
                label: (
                  <span data-testid="tab-url">
                    <LinkOutlined /> Import from URL
                  </span>
                ),
                children: (
                  <UrlForm collectionId={collectionId} onCollectionChange={setCollectionId} />
                ),
              },
            ]}
          />
        )}
      </Create>
    </CanAccess>
  )
}

type Chosen = { collectionId?: number; onCollectionChange: (id: number | undefined) => void }

function CollectionField({
  collectionId,
  onCollectionChange,
  testId,
}: Chosen & { testId: string }) {
  return (
    <Form.Item
      name="collectionId"
      label="Collection"
      initialValue={collectionId}
      rules={[{ required: true, message: 'Choose the collection it belongs to' }]}
    >
      <CollectionSelect
        style={{ maxWidth: 360 }}
        onChange={(value) => onCollectionChange(value)}
        data-testid={testId}
      />
    </Form.Item>
  )
}

/** Keeps a form's collection field in step with the page's choice. */
function useSyncedCollection(form: FormInstance<any>, collectionId?: number) {
  useEffect(() => {
    if (collectionId && form.getFieldValue('collectionId') !== collectionId) {
      form.setFieldValue('collectionId', collectionId)
    }
  }, [collectionId, form])
}

type WriteValues = { collectionId: number; title?: string; content: string }

function WriteForm(props: Chosen) {
  const { formProps, saveButtonProps, form } = useForm<KnowledgeDocument, any, WriteValues>({
    resource: 'documents',
    action: 'create',
    redirect: 'show',
    errorNotification: unlessOnField,
    successNotification: (data) => ({
      type: 'success',
      description: `“${data?.data?.title}” saved`,
      message: chunksText(data?.data?.chunkCount),
    }),
  })
  useSyncedCollection(form, props.collectionId)
  const content = Form.useWatch('content', form) ?? ''
  const preview = useDeferredValue(content)

  return (
    <Form
      {...formProps}
      layout="vertical"
      onFinish={(values) =>
        formProps.onFinish?.({
          collectionId: values.collectionId,
          title: values.title?.trim() || undefined,
          content: values.content,
          format: 'markdown',
        } as WriteValues)
      }
    >
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <CollectionField {...props} testId="write-collection" />
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="title" label="Title" extra="Leave empty to use the first heading.">
            <Input maxLength={200} placeholder="Refund policy" data-testid="write-title" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Form.Item
            name="content"
            label="Markdown"
            rules={[{ required: true, whitespace: true, message: 'Write the document first' }]}
            extra="Headings (#, ##) split the document into the passages search returns."
          >
            <Input.TextArea
              autoSize={{ minRows: 16, maxRows: 28 }}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 }}
              placeholder={
                '# Refunds\n\nAnnual plans can be refunded within 14 days.\n\n## How to ask\n\n…'
              }
              maxLength={1_000_000}
              data-testid="write-content"
            />
          </Form.Item>
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text type="secondary">Preview</Typography.Text>
          <Card
            size="small"
            style={{ marginTop: 8, minHeight: 360, maxHeight: 640, overflow: 'auto' }}
            data-testid="write-preview"
          >
            {preview.trim() ? (
              <MarkdownField value={preview} />
            ) : (
              <Typography.Text type="secondary">
                The formatted document appears here.
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <SaveButton {...saveButtonProps} data-testid="write-save">
        Save document
      </SaveButton>
    </Form>
  )
}

type UrlValues = { collectionId: number; url: string; title?: string }

function UrlForm(props: Chosen) {
  const { formProps, saveButtonProps, form } = useForm<KnowledgeDocument, any, UrlValues>({
    resource: 'documents',
    action: 'create',
    redirect: 'show',
    errorNotification: unlessOnField,
    successNotification: (data) => ({
      type: 'success',
      description: `Imported “${data?.data?.title}”`,
      message: chunksText(data?.data?.chunkCount),
    }),
  })
  useSyncedCollection(form, props.collectionId)
  return (
    <Form
      {...formProps}
      layout="vertical"
      style={{ maxWidth: 640 }}
      onFinish={(values) =>
        formProps.onFinish?.({
          collectionId: values.collectionId,
          url: values.url.trim(),
          title: values.title?.trim() || undefined,
        } as UrlValues)
      }
    >
      <CollectionField {...props} testId="url-collection" />
      <Form.Item
        name="url"
        label="Address"
        rules={[
          { required: true, whitespace: true, message: 'Paste the address of the page' },
          {
            validator: (_, value?: string) =>
              !value?.trim() || isWebAddress(value.trim())
                ? Promise.resolve()
                : Promise.reject(
                    new Error('A full address, such as https://example.com/help/returns')
                  ),
          },
        ]}
        extra="An HTML page, Markdown, text or PDF file. Navigation, scripts and forms are left out."
      >
        <Input placeholder="https://example.com/help/returns" data-testid="url-address" />
      </Form.Item>
      <Form.Item name="title" label="Title" extra="Leave empty to use the page's own title.">
        <Input maxLength={200} data-testid="url-title" />
      </Form.Item>
      <SaveButton {...saveButtonProps} icon={<LinkOutlined />} data-testid="url-import">
        Import
      </SaveButton>
    </Form>
  )
}

/** Field errors show under their input; only the others need a notification. */
function unlessOnField(error?: HttpError) {
  if (error?.errors && Object.keys(error.errors).length) return false as const
  return {
    type: 'error' as const,
    message: error?.message ?? 'The document could not be saved.',
    description: 'Not saved',
  }
}

const chunksText = (n: number | undefined) =>
  `Cut into ${n ?? 0} ${n === 1 ? 'chunk' : 'chunks'} for search.`

/** http(s) with a host; intranet names and addresses are fine (the server decides what it may fetch). */
function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname)
  } catch {
    return false
  }
}
