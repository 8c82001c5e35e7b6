/*
| Import: a JSON file (what Export writes, or a list of rules) into a team,
| all or nothing. The API names each problem by its path
| (`rules.3.conditions.all.0.operator`): listed per rule.
*/
import { useState } from 'react'
import type { HttpError } from '@refinedev/core'
import { Alert, App, Modal, Radio, Space, Typography, Upload } from 'antd'
import { InboxOutlined } from '@ant-design/icons'
import { api } from '../../providers/http'
import { fieldMessage, splitImportPath } from './rule_form'

type Parsed = { rules: Array<Record<string, unknown>> } | { error: string }

function parseFile(text: string): Parsed {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    return { error: `The file is not valid JSON: ${(error as Error).message}` }
  }
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { rules?: unknown }).rules)
      ? (body as { rules: unknown[] }).rules
      : body && typeof body === 'object' && 'trigger' in body
        ? [body]
        : null
  if (!list) {
    return {
      error:
        'Not a rules file: expected what Export writes, {"format": "switchboard.rules", "rules": [...]}, or a list of rules.',
    }
  }
  if (!list.length) return { error: 'The file has no rules.' }
  return { rules: list as Array<Record<string, unknown>> }
}

type Problem = { rule: number | null; path: string; message: string }

export function ImportRules(props: {
  open: boolean
  teamId: number
  teamName?: string
  onClose: () => void
  onImported: () => void
}) {
  const { message } = App.useApp()
  const [file, setFile] = useState<string>()
  const [parsed, setParsed] = useState<Parsed>()
  const [mode, setMode] = useState<'merge' | 'replace'>('merge')
  const [problems, setProblems] = useState<Problem[]>([])
  const [failure, setFailure] = useState<string>()
  const [busy, setBusy] = useState(false)

  const reset = () => {
    setFile(undefined)
    setParsed(undefined)
    setProblems([])
    setFailure(undefined)
    setMode('merge')
  }

  const rules = parsed && 'rules' in parsed ? parsed.rules : undefined

  const submit = async () => {
    if (!rules) return
    setBusy(true)
    setProblems([])
    setFailure(undefined)
    try {
      const body = await api<{ data: { created: number; updated: number } }>(
        'POST',
        '/rules/import',
        {
          body: { teamId: props.teamId, mode, rules },
        }
      )
      const { created, updated } = body.data
      message.success(`Imported: ${created} created, ${updated} updated`)
      reset()
      props.onImported()
    } catch (error) {
      const e = error as HttpError
      const list = Object.entries(e.errors ?? {}).flatMap(([field, messages]) =>
        (Array.isArray(messages) ? messages : [String(messages)]).map((m) => ({
          ...splitImportPath(field),
          message: fieldMessage(field, String(m)),
        }))
      )
      setProblems(list)
      setFailure(list.length ? undefined : e.message)
    } finally {
      setBusy(false)
    }
  }

  const nameOf = (i: number | null) => {
    if (i === null || !rules) return null
    const name = rules[i]?.name
    return typeof name === 'string' ? `“${name}”` : ''
  }

  return (
    <Modal
      open={props.open}
      title={`Import rules${props.teamName ? ` into ${props.teamName}` : ''}`}
      okText={rules ? `Import ${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}` : 'Import'}
      okButtonProps={{
        'disabled': !rules,
        'loading': busy,
        'danger': mode === 'replace',
        'data-testid': 'import-submit',
      }}
      onOk={submit}
      onCancel={() => {
        reset()
        props.onClose()
      }}
      width={640}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Upload.Dragger
          accept=".json,application/json"
          showUploadList={false}
          multiple={false}
          beforeUpload={(f) => {
            f.text().then((text) => {
              setFile(f.name)
              setParsed(parseFile(text))
              setProblems([])
              setFailure(undefined)
            })
            return false
          }}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ?? 'Click or drop a rules file (.json) here'}</p>
          <p className="ant-upload-hint">
            The JSON that Export writes; all rules are imported, or none.
          </p>
        </Upload.Dragger>
        {parsed && 'error' in parsed && (
          <Alert type="error" showIcon message={parsed.error} data-testid="import-parse-error" />
        )}
        {rules && (
          <Typography.Text data-testid="import-summary">
            {rules.length === 1 ? '1 rule' : `${rules.length} rules`}:{' '}
            {rules
              .slice(0, 8)
              .map((r) => (typeof r.name === 'string' ? r.name : '(no name)'))
              .join(', ')}
            {rules.length > 8 ? `, and ${rules.length - 8} more` : ''}
          </Typography.Text>
        )}
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
          <Space direction="vertical">
            <Radio value="merge">
              Add them to the team's rules{' '}
              <Typography.Text type="secondary">(built-ins are updated in place)</Typography.Text>
            </Radio>
            <Radio value="replace" data-testid="import-replace">
              Replace the team's own rules{' '}
              <Typography.Text type="danger">
                (deletes every rule of the team that is not built-in first)
              </Typography.Text>
            </Radio>
          </Space>
        </Radio.Group>
        {failure && <Alert type="error" showIcon message={failure} />}
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="import-errors"
            message="Nothing was imported: fix these in the file and try again"
            description={
              <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 240, overflowY: 'auto' }}>
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.rule !== null && (
                      <b>
                        Rule {p.rule + 1} {nameOf(p.rule)}:{' '}
                      </b>
                    )}
                    {p.path && <Typography.Text code>{p.path}</Typography.Text>} {p.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Modal>
  )
}
