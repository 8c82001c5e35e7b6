import { useEffect, type ReactNode } from 'react'
import { Col, Collapse, Form, Input, Radio, Row, Select, Typography, type FormInstance } from 'antd'
import { useTeams } from '../lib/lookups'

/** Where something connects (a platform, a chat tool): one card per choice, each summarised. */
export function KindChoice<K extends string>({
  label,
  kinds,
  testId,
}: {
  label: string
  kinds: Record<K, { label: string; summary: string }>
  testId: (kind: K) => string
}) {
  return (
    <Form.Item label={label} name="platform">
      <Radio.Group style={{ width: '100%' }}>
        <Row gutter={12}>
          {(Object.keys(kinds) as K[]).map((k) => (
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
                data-testid={testId(k)}
              >
                <Typography.Text strong>{kinds[k].label}</Typography.Text>
                <br />
                <Typography.Text type="secondary">{kinds[k].summary}</Typography.Text>
              </Radio.Button>
            </Col>
          ))}
        </Row>
      </Radio.Group>
    </Form.Item>
  )
}

/** The name and the owning team, side by side; with one team there is nothing to choose. */
export function NameAndTeam({
  form,
  prefix,
  name,
  team,
}: {
  form: FormInstance
  prefix: string
  name: { message: string; extra?: ReactNode; placeholder?: string }
  team: { message: string; extra?: ReactNode }
}) {
  const { teams } = useTeams()
  useEffect(() => {
    if (teams.length === 1 && !form.getFieldValue('teamId'))
      form.setFieldValue('teamId', teams[0].id)
  }, [teams, form])
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item
          label="Name"
          name="name"
          rules={[{ required: true, whitespace: true, message: name.message }]}
          extra={name.extra}
        >
          <Input maxLength={100} placeholder={name.placeholder} data-testid={`${prefix}-name`} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item
          label="Team"
          name="teamId"
          rules={[{ required: true, message: team.message }]}
          extra={team.extra}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={teams.map((t) => ({ value: t.id, label: t.name }))}
            placeholder="Choose a team"
            aria-label="Team"
            data-testid={`${prefix}-team`}
          />
        </Form.Item>
      </Col>
    </Row>
  )
}

/** Settings almost nobody changes, folded away but still part of the form. */
export function Advanced({ children }: { children: ReactNode }) {
  return (
    <Collapse
      size="small"
      style={{ marginBottom: 24 }}
      items={[{ key: 'advanced', label: 'Advanced', forceRender: true, children }]}
    />
  )
}
