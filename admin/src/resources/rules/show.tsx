/* One rule: what it says, a dry run, and its log. */
import { useShow, type HttpError } from '@refinedev/core'
import { DeleteButton, EditButton, Show } from '@refinedev/antd'
import { useSearchParams } from 'react-router'
import { Button, Descriptions, Flex, Result, Tabs, Tag, Typography } from 'antd'
import { Link } from 'react-router'
import { duration } from '../../lib/format'
import { NotFound } from '../../components/not_found'
import { retryUnlessMissing, useRuleSchema, type Rule } from './data'
import { triggerSummary, type Action } from './rule_form'
import { actionText, ConditionTree } from './view'
import { DryRun } from './dry_run'
import { Executions } from './executions'

export default function RuleShow() {
  const { query, result: rule } = useShow<Rule, HttpError>({
    resource: 'rules',
    queryOptions: { retry: retryUnlessMissing },
    // The page itself says what went wrong.
    errorNotification: false,
  })
  const schema = useRuleSchema()
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') === 'log' ? 'log' : 'test'
  const setTab = (key: string) => setParams({ tab: key }, { replace: true })

  if (query.isError) {
    if (query.error?.statusCode === 404) return <NotFound />
    return (
      <Result
        status="error"
        title="The rule could not be loaded"
        subTitle={query.error?.message}
        extra={
          <Link to="/rules">
            <Button type="primary">Back to the rules</Button>
          </Link>
        }
      />
    )
  }

  return (
    <Show
      isLoading={query.isLoading}
      title={
        <Flex gap={8} align="center">
          <span>{rule?.name ?? 'Rule'}</span>
          {rule && (
            <Tag color={rule.enabled ? 'green' : 'default'}>
              {rule.enabled ? 'Enabled' : 'Disabled'}
            </Tag>
          )}
          {rule?.builtin && <Tag>Built-in</Tag>}
        </Flex>
      }
      headerButtons={() => (
        <>
          <EditButton recordItemId={rule?.id} data-testid="rule-show-edit" />
          <DeleteButton
            recordItemId={rule?.id}
            confirmTitle={`Delete “${rule?.name}”?`}
            confirmOkText="Delete"
            confirmCancelText="Keep it"
          />
        </>
      )}
    >
      {rule && (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            bordered
            column={1}
            styles={{ label: { width: 140 } }}
            data-testid="rule-summary"
            items={[
              { key: 'when', label: 'When', children: triggerSummary(rule.trigger, schema.data) },
              {
                key: 'if',
                label: 'If',
                children: <ConditionTree node={rule.conditions} schema={schema.data} />,
              },
              {
                key: 'then',
                label: 'Then',
                children: (
                  <ol style={{ margin: 0, paddingLeft: 20 }}>
                    {(rule.actions ?? []).map((a, i) => (
                      <li key={i}>
                        <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
                          {actionText(a as Action, schema.data)}
                        </Typography.Text>
                      </li>
                    ))}
                  </ol>
                ),
              },
              {
                key: 'options',
                label: 'Options',
                children: (
                  <Typography.Text>
                    {rule.cooldownSeconds
                      ? `Fires at most once every ${duration(rule.cooldownSeconds)} per conversation`
                      : 'No cooldown'}
                    {' · '}
                    {rule.stopProcessing
                      ? 'Stops the rules below when it fires'
                      : 'The rules below still run'}
                    {' · '}
                    Priority {rule.priority} (lower runs first)
                  </Typography.Text>
                ),
              },
            ]}
          />
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              {
                key: 'test',
                label: 'Test (dry run)',
                children: <DryRun rule={rule} schema={schema.data} />,
              },
              {
                key: 'log',
                label: 'Executions',
                children: (
                  <Executions rule={rule} schema={schema.data} onTest={() => setTab('test')} />
                ),
              },
            ]}
          />
        </Flex>
      )}
    </Show>
  )
}
