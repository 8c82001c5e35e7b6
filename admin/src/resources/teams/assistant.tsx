import { useEffect, useState } from 'react'
import type { HttpError } from '@refinedev/core'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Collapse,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Slider,
  Space,
  Spin,
  Switch,
  Typography,
} from 'antd'
import type { Schemas, Team } from '../../api/types'
import { api } from '../../providers/http'
import { useTeamSettingsForm } from './settings_form'

type Assistant = Schemas['TeamAssistantSettings']
type Preview = { prompt: string; system: string; defaults: Record<string, any> }
const A = ['settings', 'assistant'] as const

/** Confidence as a slider with the exact number beside it. */
function ThresholdInput({
  value,
  onChange,
  disabled,
}: {
  value?: number
  onChange?: (v: number | null) => void
  disabled?: boolean
}) {
  return (
    <Row gutter={12} align="middle">
      <Col flex="auto">
        <Slider
          min={0}
          max={1}
          step={0.05}
          value={value ?? 0.5}
          onChange={(v) => onChange?.(v)}
          disabled={disabled}
          marks={{ 0: '0', 0.5: '0.5', 1: '1' }}
          aria-label="Confidence threshold"
        />
      </Col>
      <Col>
        <InputNumber
          min={0}
          max={1}
          step={0.05}
          value={value}
          onChange={(v) => onChange?.(v)}
          disabled={disabled}
          placeholder="0.5"
          aria-label="Confidence threshold value"
          data-testid="assistant-threshold"
          style={{ width: 90 }}
        />
      </Col>
    </Row>
  )
}

/** What the model will be told, rendered by the server for the prompt being typed. */
function usePreview(teamId: number, draft: string | undefined) {
  const [preview, setPreview] = useState<Preview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [defaults, setDefaults] = useState<Record<string, any> | null>(null)

  useEffect(() => {
    let stale = false
    const timer = setTimeout(async () => {
      setLoading(true)
      try {
        // An empty prompt means the built-in one (sent as null on save).
        const prompt = draft?.trim() ? draft : (defaults?.prompt as string | undefined)
        const body = await api<{ data: Preview }>('POST', `/teams/${teamId}/assistant/preview`, {
          body: prompt ? { prompt } : {},
        })
        if (stale) return
        setPreview(body.data)
        setDefaults(body.data.defaults)
        setError(null)
      } catch (e) {
        if (!stale) setError((e as HttpError).message)
      } finally {
        if (!stale) setLoading(false)
      }
    }, 400)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [teamId, draft, defaults?.prompt])

  return { preview, error, loading, defaults }
}

export function AssistantForm({ team, editable }: { team: Team; editable: boolean }) {
  const { formProps, saveButtonProps, form, formLoading } = useTeamSettingsForm(
    team,
    'Assistant settings'
  )
  const [removeKey, setRemoveKey] = useState(false)
  const draft = Form.useWatch([...A, 'prompt'], form) as string | undefined
  const enabled = Form.useWatch([...A, 'enabled'], form) as boolean | undefined
  const { preview, error, loading, defaults } = usePreview(team.id!, draft)
  const keySet = team.assistantApiKeySet ?? false

  const submit = (values: { settings?: { assistant?: Assistant } }) => {
    const assistant: Assistant = { ...(values.settings?.assistant ?? {}) }
    // Left empty: back to the server's default.
    for (const key of ['model', 'baseUrl', 'prompt'] as const) {
      const v = assistant[key]
      assistant[key] = typeof v === 'string' && v.trim() ? v.trim() : null
    }
    if (removeKey) assistant.apiKey = null
    else if (!assistant.apiKey) delete assistant.apiKey
    if (assistant.monthlyTokenBudget === undefined) assistant.monthlyTokenBudget = null
    return formProps.onFinish?.({ settings: { assistant } })
  }

  useEffect(() => setRemoveKey(false), [team.assistantApiKeySet])

  return (
    <Form
      {...formProps}
      onFinish={submit}
      layout="vertical"
      disabled={!editable}
      data-testid="assistant-form"
    >
      <Row gutter={24}>
        <Col xs={24} xl={13}>
          <Form.Item
            label="Assistant answers customers"
            name={[...A, 'enabled']}
            valuePropName="checked"
            getValueProps={(v) => ({ checked: v ?? true })}
            extra="When off, the assistant leaves customer messages alone; rules and people still answer."
          >
            <Switch aria-label="Assistant enabled" data-testid="assistant-enabled" />
          </Form.Item>
          {enabled === false && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message="The assistant is off for this team."
            />
          )}
          <Form.Item
            label="Model"
            name={[...A, 'model']}
            extra={
              defaults?.model
                ? `Empty: the server's default, ${defaults.model}.`
                : "Empty: the server's default. No model is configured on the server, so the assistant quotes the best matching passage instead of writing an answer."
            }
          >
            <Input
              placeholder={defaults?.model ?? 'e.g. gpt-4o-mini'}
              maxLength={200}
              data-testid="assistant-model"
            />
          </Form.Item>
          <Form.Item
            label="System prompt"
            name={[...A, 'prompt']}
            extra={
              <span>
                How the assistant should behave.{' '}
                <Typography.Text code>{'{{team}}'}</Typography.Text> becomes “{team.name}”. Empty:
                the built-in prompt. Safety rules and the sources found are always added after it
                (see the preview).
              </span>
            }
          >
            <Input.TextArea
              rows={6}
              maxLength={8000}
              placeholder={defaults?.prompt}
              data-testid="assistant-prompt"
            />
          </Form.Item>
          {editable && defaults?.prompt && (
            <Space style={{ marginTop: -8, marginBottom: 16 }}>
              <Button
                size="small"
                onClick={() => {
                  form.setFieldValue([...A, 'prompt'], defaults.prompt)
                  formProps.onValuesChange?.({}, form.getFieldsValue(true))
                }}
                data-testid="assistant-prompt-default"
              >
                Start from the built-in prompt
              </Button>
            </Space>
          )}
          <Form.Item
            label="Confidence threshold"
            name={[...A, 'threshold']}
            extra={`How sure the knowledge search must be (0 to 1) before the assistant answers; below it, the conversation goes to a person. 0 answers always, 1 hands everything over. Default ${defaults?.threshold ?? 0.5}: raise it if answers miss, lower it if too much is handed over.`}
          >
            <ThresholdInput disabled={!editable} />
          </Form.Item>
          <Form.Item
            label="Monthly token budget"
            name={[...A, 'monthlyTokenBudget']}
            extra="Tokens a calendar month. Once spent, conversations go to people instead, and admins are told. Empty: no limit."
          >
            <InputNumber
              min={0}
              step={100000}
              style={{ width: 220 }}
              placeholder="No limit"
              formatter={(v) =>
                v === undefined || v === null || String(v) === ''
                  ? ''
                  : Number(v).toLocaleString('en-US')
              }
              parser={(v) => (v ? Number(v.replace(/[^\d]/g, '')) : (null as any))}
              data-testid="assistant-budget"
            />
          </Form.Item>
          <Collapse
            size="small"
            style={{ marginBottom: 16 }}
            items={[
              {
                key: 'advanced',
                label: 'Model connection and limits',
                forceRender: true,
                children: (
                  <>
                    <Form.Item
                      label="API base URL"
                      name={[...A, 'baseUrl']}
                      extra="Any OpenAI-compatible chat completions API (OpenAI, a local Ollama at http://127.0.0.1:11434/v1 …). Empty: the server's default."
                      rules={[
                        { type: 'url', message: 'An http(s) URL, e.g. https://api.openai.com/v1' },
                      ]}
                    >
                      <Input
                        placeholder={defaults?.baseUrl ?? 'https://api.openai.com/v1'}
                        data-testid="assistant-base-url"
                      />
                    </Form.Item>
                    <Form.Item
                      label="API key"
                      name={[...A, 'apiKey']}
                      extra={
                        keySet
                          ? 'This team has its own key (never shown). Type a new one to replace it, or leave empty to keep it.'
                          : "The team uses the server's key. Type one to give this team its own; it is stored encrypted and never shown again."
                      }
                    >
                      <Input.Password
                        autoComplete="new-password"
                        placeholder={keySet ? '•••••••• (kept)' : 'sk-…'}
                        disabled={!editable || removeKey}
                        data-testid="assistant-api-key"
                      />
                    </Form.Item>
                    {keySet && (
                      <Checkbox
                        checked={removeKey}
                        onChange={(e) => {
                          setRemoveKey(e.target.checked)
                          formProps.onValuesChange?.({}, form.getFieldsValue(true))
                        }}
                        style={{ marginTop: -12, marginBottom: 16 }}
                        data-testid="assistant-api-key-remove"
                      >
                        Remove the team's key (use the server's)
                      </Checkbox>
                    )}
                    <Space wrap size="large">
                      <Form.Item
                        label="Longest answer (tokens)"
                        name={[...A, 'maxTokens']}
                        extra={`Default ${defaults?.maxTokens ?? 500}`}
                      >
                        <InputNumber
                          min={16}
                          max={8000}
                          placeholder={String(defaults?.maxTokens ?? 500)}
                        />
                      </Form.Item>
                      <Form.Item
                        label="Time limit (seconds)"
                        name={[...A, 'deadlineSeconds']}
                        extra={`Default ${defaults?.deadlineSeconds ?? 20}; slower means a hand-off`}
                      >
                        <InputNumber
                          min={1}
                          max={120}
                          placeholder={String(defaults?.deadlineSeconds ?? 20)}
                        />
                      </Form.Item>
                      <Form.Item
                        label="History sent (tokens)"
                        name={[...A, 'historyTokens']}
                        extra={`Default ${defaults?.historyTokens ?? 1500}; older turns are summarised`}
                      >
                        <InputNumber
                          min={0}
                          max={100000}
                          placeholder={String(defaults?.historyTokens ?? 1500)}
                        />
                      </Form.Item>
                    </Space>
                    <Form.Item
                      label="Links allowed in answers"
                      name={[...A, 'allowedHosts']}
                      extra="Host names (shop.example.com) whose links an answer may keep, besides the sources' own. Others become “[link removed]”."
                    >
                      <Select
                        mode="tags"
                        tokenSeparators={[',', ' ']}
                        placeholder="Type a host and press Enter"
                        open={false}
                        aria-label="Allowed hosts"
                        data-testid="assistant-allowed-hosts"
                      />
                    </Form.Item>
                  </>
                ),
              },
            ]}
          />
          {editable && (
            <Button
              type="primary"
              {...saveButtonProps}
              loading={formLoading}
              data-testid="assistant-save"
            >
              Save assistant settings
            </Button>
          )}
        </Col>
        <Col xs={24} xl={11}>
          <Card
            style={{ position: 'sticky', top: 16 }}
            size="small"
            title={
              <Space>
                Preview: what the model is told
                {loading && <Spin size="small" />}
              </Space>
            }
            data-testid="assistant-preview"
          >
            {error ? (
              <Alert type="error" showIcon message={error} />
            ) : preview ? (
              <>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  Rendered by the server from the prompt as typed. The sources are a sample; each
                  answer gets the passages found for the customer's question, then the conversation
                  so far.
                </Typography.Paragraph>
                <pre
                  data-testid="assistant-preview-text"
                  style={{
                    whiteSpace: 'pre-wrap',
                    fontSize: 12,
                    background: '#fafafa',
                    padding: 12,
                    borderRadius: 6,
                    maxHeight: 460,
                    overflow: 'auto',
                    margin: 0,
                  }}
                >
                  {preview.system}
                </pre>
              </>
            ) : (
              <Spin />
            )}
          </Card>
        </Col>
      </Row>
    </Form>
  )
}
