import { useCallback, useEffect, useRef, useState } from 'react'
import { useInvalidate } from '@refinedev/core'
import { Button, Form, List, Progress, Space, Tag, Tooltip, Typography, Upload } from 'antd'
import {
  CheckCircleFilled,
  CloseCircleFilled,
  DeleteOutlined,
  InboxOutlined,
  ReloadOutlined,
  StopOutlined,
} from '@ant-design/icons'
import { Link } from 'react-router'
import { uploadForm } from '../../lib/upload'
import { bytes } from '../../lib/format'
import { CollectionSelect, FILE_EXTENSIONS, MAX_FILE_BYTES, type KnowledgeDocument } from './shared'

type Status = 'queued' | 'uploading' | 'reading' | 'done' | 'error'
type Item = {
  uid: string
  name: string
  size: number
  collectionId: number
  status: Status
  percent: number
  error?: string
  /** A refusal (422, 403, 413) would only be refused again. */
  retryable?: boolean
  document?: KnowledgeDocument
}

/** Files sent at once; the rest wait their turn so each bar moves steadily. */
const PARALLEL = 3
const ACCEPT = FILE_EXTENSIONS.map((e) => `.${e}`).join(',')

/** Why a file cannot be sent, before sending it. */
function refusal(file: File): string | undefined {
  const ext = file.name.toLowerCase().split('.').pop() ?? ''
  if (!file.name.includes('.') || !FILE_EXTENSIONS.includes(ext)) {
    return 'Not a supported type: use .md, .txt, .html or .pdf.'
  }
  if (file.size > MAX_FILE_BYTES) return `Larger than 20 MB (${bytes(file.size)}).`
  if (file.size === 0) return 'The file is empty.'
  return undefined
}

/**
 * Several files by drag and drop (or the file dialog), each with its own
 * progress bar and its own error; a failed file can be retried alone.
 */
export default function UploadPanel({
  collectionId,
  onCollectionChange,
}: {
  collectionId?: number
  onCollectionChange: (id: number | undefined) => void
}) {
  const invalidate = useInvalidate()
  const [items, setItems] = useState<Item[]>([])
  const files = useRef(new Map<string, File>())
  const aborts = useRef(new Map<string, AbortController>())
  const counter = useRef(0)

  const patch = useCallback(
    (uid: string, change: Partial<Item>) =>
      setItems((list) => list.map((item) => (item.uid === uid ? { ...item, ...change } : item))),
    []
  )

  const send = useCallback(
    async (item: Item) => {
      const file = files.current.get(item.uid)
      if (!file) return
      const abort = new AbortController()
      aborts.current.set(item.uid, abort)
      patch(item.uid, { status: 'uploading', percent: 0, error: undefined })
      const form = new FormData()
      form.append('collectionId', String(item.collectionId))
      form.append('file', file, file.name)
      try {
        const body = await uploadForm<{ data: KnowledgeDocument }>('/knowledge/documents', form, {
          signal: abort.signal,
          onProgress: ({ percent }) =>
            // All bytes sent: the server now reads and indexes the file.
            patch(item.uid, percent >= 100 ? { percent: 100, status: 'reading' } : { percent }),
        })
        patch(item.uid, { status: 'done', percent: 100, document: body.data })
        invalidate({ resource: 'documents', invalidates: ['list'] })
      } catch (error: any) {
        const fields = (error?.errors ?? {}) as Record<string, string[]>
        const message = fields.file?.[0] ?? Object.values(fields)[0]?.[0] ?? error?.message
        patch(item.uid, {
          status: 'error',
          error: message ?? 'The upload failed.',
          retryable: ![403, 413, 422].includes(error?.statusCode),
        })
      } finally {
        aborts.current.delete(item.uid)
      }
    },
    [invalidate, patch]
  )

  // Start queued files while fewer than PARALLEL are on their way.
  useEffect(() => {
    const busy = items.filter((i) => i.status === 'uploading' || i.status === 'reading').length
    const next = items.filter((i) => i.status === 'queued').slice(0, Math.max(0, PARALLEL - busy))
    for (const item of next) void send(item)
  }, [items, send])

  // Leaving the page cancels what is still being sent.
  useEffect(() => () => aborts.current.forEach((abort) => abort.abort()), [])

  const add = (file: File) => {
    if (!collectionId) return
    const uid = `f${++counter.current}`
    const error = refusal(file)
    files.current.set(uid, file)
    setItems((list) => [
      ...list,
      {
        uid,
        name: file.name,
        size: file.size,
        collectionId,
        status: error ? 'error' : 'queued',
        percent: 0,
        error,
      },
    ])
  }

  const retry = (item: Item) =>
    patch(item.uid, {
      status: 'queued',
      percent: 0,
      error: undefined,
      collectionId: collectionId ?? item.collectionId,
    })
  const remove = (item: Item) => {
    aborts.current.get(item.uid)?.abort()
    files.current.delete(item.uid)
    setItems((list) => list.filter((i) => i.uid !== item.uid))
  }
  const clearFinished = () => {
    for (const item of items) if (item.status === 'done') files.current.delete(item.uid)
    setItems((list) => list.filter((i) => i.status !== 'done'))
  }

  const done = items.filter((i) => i.status === 'done').length
  const failed = items.filter((i) => i.status === 'error').length
  const pending = items.length - done - failed

  return (
    <div>
      <Form layout="vertical">
        <Form.Item
          label="Collection"
          required
          validateStatus={collectionId ? undefined : 'warning'}
          help={collectionId ? undefined : 'Choose where the files go, then drop them below.'}
        >
          <CollectionSelect
            style={{ maxWidth: 360 }}
            value={collectionId}
            onChange={(value) => onCollectionChange(value)}
            data-testid="upload-collection"
          />
        </Form.Item>
      </Form>

      <div data-testid="upload-dropzone">
        <Upload.Dragger
          multiple
          accept={ACCEPT}
          disabled={!collectionId}
          showUploadList={false}
          beforeUpload={(file) => {
            add(file)
            // We send the files ourselves, with a progress bar each.
            return Upload.LIST_IGNORE
          }}
          aria-label="Drop files here or choose files to upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {collectionId ? 'Drop files here, or click to choose' : 'Choose a collection first'}
          </p>
          <p className="ant-upload-hint">
            Markdown, text, HTML or PDF; up to 20 MB each. Several at once are fine.
          </p>
        </Upload.Dragger>
      </div>

      {items.length > 0 && (
        <List
          style={{ marginTop: 16 }}
          size="small"
          bordered
          data-testid="upload-list"
          header={
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Typography.Text>
                {done} of {items.length} added
                {failed > 0 && <Typography.Text type="danger">, {failed} failed</Typography.Text>}
                {pending > 0 && (
                  <Typography.Text type="secondary">, {pending} in progress</Typography.Text>
                )}
              </Typography.Text>
              <Space>
                {done > 0 && (
                  <Link to="/knowledge/documents">
                    <Button size="small">See documents</Button>
                  </Link>
                )}
                {done > 0 && (
                  <Button size="small" onClick={clearFinished}>
                    Clear finished
                  </Button>
                )}
              </Space>
            </Space>
          }
          dataSource={items}
          renderItem={(item) => (
            <List.Item
              data-testid="upload-item"
              data-status={item.status}
              data-filename={item.name}
              actions={[
                item.status === 'error' && item.retryable && (
                  <Tooltip title="Try again" key="retry">
                    <Button
                      size="small"
                      type="text"
                      icon={<ReloadOutlined />}
                      onClick={() => retry(item)}
                      aria-label={`Retry ${item.name}`}
                    />
                  </Tooltip>
                ),
                <Tooltip
                  key="remove"
                  title={item.status === 'uploading' ? 'Cancel' : 'Remove from this list'}
                >
                  <Button
                    size="small"
                    type="text"
                    icon={item.status === 'uploading' ? <StopOutlined /> : <DeleteOutlined />}
                    onClick={() => remove(item)}
                    aria-label={`${item.status === 'uploading' ? 'Cancel' : 'Remove'} ${item.name}`}
                  />
                </Tooltip>,
              ].filter(Boolean)}
            >
              <div style={{ width: '100%', minWidth: 0 }}>
                <Space size={8} style={{ width: '100%' }}>
                  {item.status === 'done' && <CheckCircleFilled style={{ color: '#52c41a' }} />}
                  {item.status === 'error' && <CloseCircleFilled style={{ color: '#ff4d4f' }} />}
                  {item.document ? (
                    <Link to={`/knowledge/documents/${item.document.id}`}>{item.name}</Link>
                  ) : (
                    <Typography.Text>{item.name}</Typography.Text>
                  )}
                  <Typography.Text type="secondary">{bytes(item.size)}</Typography.Text>
                  {item.status === 'queued' && <Tag>Waiting</Tag>}
                  {item.status === 'reading' && <Tag color="processing">Reading and indexing…</Tag>}
                  {item.status === 'done' && (
                    <Tag color="success">
                      {item.document?.chunkCount ?? 0}{' '}
                      {item.document?.chunkCount === 1 ? 'chunk' : 'chunks'} · “
                      {item.document?.title}”
                    </Tag>
                  )}
                </Space>
                {item.status === 'error' ? (
                  <Typography.Text
                    type="danger"
                    data-testid="upload-error"
                    style={{ display: 'block' }}
                  >
                    {item.error}
                  </Typography.Text>
                ) : (
                  <Progress
                    percent={item.percent}
                    size="small"
                    status={
                      item.status === 'done'
                        ? 'success'
                        : item.status === 'reading' || item.status === 'uploading'
                          ? 'active'
                          : 'normal'
                    }
                    aria-label={`${item.name} upload progress`}
                  />
                )}
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  )
}
