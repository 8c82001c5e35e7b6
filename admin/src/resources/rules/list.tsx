/*
| A team's rules in the order they run: drag a row by its handle (or use
| the arrows) to reorder, switch rules on and off, import and export.
*/
import { useMemo, useRef, useState, type HTMLAttributes } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { useCan, type HttpError } from '@refinedev/core'
import { DeleteButton, List } from '@refinedev/antd'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Empty,
  Flex,
  Input,
  Select,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd'
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DownloadOutlined,
  EditOutlined,
  ExperimentOutlined,
  HolderOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons'
import { api } from '../../providers/http'
import { ago, dateTime, duration } from '../../lib/format'
import { teamRulesKey, useCurrentTeam, useRuleSchema, useTeamRules, type Rule } from './data'
import { countConditions, triggerSummary } from './rule_form'
import { actionLabel, ConditionTree } from './view'
import { ImportRules } from './import'

function moved<T>(list: T[], from: number, to: number): T[] {
  const next = [...list]
  const [item] = next.splice(from, 1)
  next.splice(to, 0, item)
  return next
}

type RowProps = HTMLAttributes<HTMLTableRowElement> & {
  'data-row-key'?: number
  'index'?: number
  'dragging'?: boolean
  'over'?: 'above' | 'below' | null
  'onDragOverRow'?: (index: number, half: 'above' | 'below') => void
  'onDropRow'?: (index: number) => void
}

/** A body row that takes drops; the drag starts on the handle in its first cell. */
function Row({ index, dragging, over, onDragOverRow, onDropRow, className, ...rest }: RowProps) {
  if (index === undefined || !onDragOverRow) return <tr className={className} {...rest} />
  const classes = [className, dragging && 'rule-dragging', over && `rule-drop-${over}`]
  return (
    <tr
      {...rest}
      className={classes.filter(Boolean).join(' ')}
      onDragOver={(e) => {
        e.preventDefault()
        e.dataTransfer.dropEffect = 'move'
        const box = e.currentTarget.getBoundingClientRect()
        onDragOverRow(index, e.clientY < box.top + box.height / 2 ? 'above' : 'below')
      }}
      onDrop={(e) => {
        e.preventDefault()
        onDropRow?.(index)
      }}
    />
  )
}

const STYLES = `
.rule-dragging > td { opacity: 0.45; }
.rule-drop-above > td { box-shadow: inset 0 2px 0 #3056d3; }
.rule-drop-below > td { box-shadow: inset 0 -2px 0 #3056d3; }
.rule-disabled > td { color: #8c8c8c; background: #fafafa; }
`

function exportName(team: string | undefined) {
  const slug = (team ?? 'team')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `rules-${slug || 'team'}-${new Date().toISOString().slice(0, 10)}.json`
}

export default function RulesList() {
  const { message, notification } = App.useApp()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [params, setParams] = useSearchParams()
  const { teams, teamId, remember } = useCurrentTeam(Number(params.get('teamId')) || undefined)
  const schema = useRuleSchema()
  const team = teams.data?.find((t) => t.id === teamId)
  const rules = useTeamRules(teamId)
  const { data: canEdit } = useCan({ resource: 'rules', action: 'edit' })
  const { data: canCreate } = useCan({ resource: 'rules', action: 'create' })
  const [search, setSearch] = useState('')
  const [order, setOrder] = useState<Rule[] | null>(null)
  const [importing, setImporting] = useState(false)
  const [exporting, setExporting] = useState(false)
  const [toggling, setToggling] = useState<Record<number, boolean>>({})
  const dragFrom = useRef<number | null>(null)
  const [dragging, setDragging] = useState<number | null>(null)
  const [over, setOver] = useState<{ index: number; half: 'above' | 'below' } | null>(null)

  const all = order ?? rules.data ?? []
  const filter = search.trim().toLowerCase()
  const rows = filter ? all.filter((r) => r.name?.toLowerCase().includes(filter)) : all
  const mayReorder = !!canEdit?.can && !filter && all.length > 1

  const reorder = useMutation({
    mutationFn: (ids: number[]) =>
      api<{ data: Rule[] }>('POST', '/rules/reorder', { body: { teamId, ids } }),
    onSuccess: () => message.success('Order saved'),
    onError: (error: HttpError) => {
      setOrder(null)
      notification.error({ message: 'The order was not saved', description: error.message })
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: teamRulesKey(teamId) })
      setOrder(null)
    },
  })

  const move = (from: number, to: number) => {
    if (from === to || to < 0 || to >= all.length) return
    const next = moved(all, from, to)
    setOrder(next)
    reorder.mutate(next.map((r) => r.id!))
  }

  const toggle = async (rule: Rule, enabled: boolean) => {
    const key = teamRulesKey(teamId)
    setToggling((t) => ({ ...t, [rule.id!]: true }))
    queryClient.setQueryData<Rule[]>(key, (list) =>
      list?.map((r) => (r.id === rule.id ? { ...r, enabled } : r))
    )
    try {
      await api('POST', `/rules/${rule.id}/${enabled ? 'enable' : 'disable'}`)
      message.success(`${rule.name} ${enabled ? 'enabled' : 'disabled'}`)
    } catch (error) {
      notification.error({
        message: `Could not ${enabled ? 'enable' : 'disable'} the rule`,
        description: (error as HttpError).message,
      })
    } finally {
      setToggling((t) => ({ ...t, [rule.id!]: false }))
      await queryClient.invalidateQueries({ queryKey: key })
    }
  }

  const download = async () => {
    setExporting(true)
    try {
      const body = await api('GET', '/rules/export', { query: { teamId } })
      const blob = new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' })
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = exportName(team?.name)
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 1000)
    } catch (error) {
      notification.error({ message: 'Export failed', description: (error as HttpError).message })
    } finally {
      setExporting(false)
    }
  }

  const drop = (index: number) => {
    const from = dragFrom.current
    const target = over
    dragFrom.current = null
    setDragging(null)
    setOver(null)
    if (from === null || !target) return
    let to = target.half === 'above' ? index : index + 1
    if (from < to) to -= 1
    move(from, to)
  }

  const columns: TableColumnsType<Rule> = useMemo(() => {
    const cols: TableColumnsType<Rule> = [
      {
        key: 'drag',
        hidden: !canEdit?.can,
        width: 36,
        render: (_, rule, index) =>
          mayReorder ? (
            <span
              draggable
              role="button"
              aria-label={`Drag ${rule.name} to reorder`}
              title="Drag to reorder"
              data-testid={`rule-drag-${rule.id}`}
              style={{ cursor: 'grab', color: '#8c8c8c', padding: 4 }}
              onDragStart={(e) => {
                dragFrom.current = index
                setDragging(index)
                e.dataTransfer.effectAllowed = 'move'
                e.dataTransfer.setData('text/plain', String(rule.id))
                const tr = (e.currentTarget as HTMLElement).closest('tr')
                if (tr) e.dataTransfer.setDragImage(tr, 20, 20)
              }}
              onDragEnd={() => {
                dragFrom.current = null
                setDragging(null)
                setOver(null)
              }}
            >
              <HolderOutlined />
            </span>
          ) : null,
      },
      {
        title: '#',
        key: 'position',
        width: 44,
        render: (_, rule) => (
          <Typography.Text type="secondary">{all.indexOf(rule) + 1}</Typography.Text>
        ),
      },
      {
        title: 'Name',
        dataIndex: 'name',
        render: (name: string, rule) => (
          <Flex vertical gap={2}>
            <Link to={`/rules/show/${rule.id}`} data-testid={`rule-link-${rule.id}`}>
              {name}
            </Link>
            <Flex gap={4} wrap>
              {rule.builtin && <Tag>Built-in</Tag>}
              {rule.stopProcessing && (
                <Tooltip title="When it fires, the rules below are skipped for that event">
                  <Tag color="gold">Stops here</Tag>
                </Tooltip>
              )}
              {!!rule.cooldownSeconds && (
                <Tooltip title="Waits this long before firing again on the same conversation">
                  <Tag>cooldown {duration(rule.cooldownSeconds)}</Tag>
                </Tooltip>
              )}
            </Flex>
          </Flex>
        ),
      },
      {
        title: 'When',
        key: 'trigger',
        width: 170,
        render: (_, rule) => triggerSummary(rule.trigger, schema.data),
      },
      {
        title: 'If',
        key: 'conditions',
        width: 130,
        render: (_, rule) => {
          const n = countConditions(rule.conditions)
          if (!n) return <Typography.Text type="secondary">Always</Typography.Text>
          return (
            <Tooltip
              title={<ConditionTree node={rule.conditions} schema={schema.data} />}
              color="#fff"
              styles={{ body: { color: 'inherit', maxWidth: 480 } }}
            >
              <Typography.Text underline style={{ textDecorationStyle: 'dotted' }}>
                {n === 1 ? '1 condition' : `${n} conditions`}
              </Typography.Text>
            </Tooltip>
          )
        },
      },
      {
        title: 'Then',
        key: 'actions',
        render: (_, rule) => (
          <Flex gap={4} wrap>
            {(rule.actions ?? []).map((a, i) => (
              <Tag key={i} style={{ marginInlineEnd: 0 }}>
                {actionLabel(a.type, schema.data)}
              </Tag>
            ))}
          </Flex>
        ),
      },
    ]
    cols.push({
      title: 'Last fired',
      key: 'lastFiredAt',
      width: 120,
      render: (_, rule) =>
        rule.lastFiredAt ? (
          <Tooltip title={dateTime(rule.lastFiredAt)}>{ago(rule.lastFiredAt)}</Tooltip>
        ) : (
          <Typography.Text type="secondary">Never</Typography.Text>
        ),
    })
    cols.push(
      {
        title: 'On',
        key: 'enabled',
        width: 64,
        render: (_, rule) => (
          <Switch
            size="small"
            checked={!!rule.enabled}
            loading={!!toggling[rule.id!]}
            disabled={!canEdit?.can}
            onChange={(on) => toggle(rule, on)}
            aria-label={`Enable ${rule.name}`}
            data-testid={`rule-enabled-${rule.id}`}
          />
        ),
      },
      {
        key: 'row-actions',
        width: canEdit?.can ? 156 : 48,
        align: 'right',
        render: (_, rule) => {
          const index = all.indexOf(rule)
          return (
            <Flex gap={2} justify="end">
              {mayReorder && (
                <>
                  <Tooltip title="Run earlier">
                    <Button
                      type="text"
                      size="small"
                      icon={<ArrowUpOutlined />}
                      disabled={index === 0 || reorder.isPending}
                      aria-label={`Move ${rule.name} up`}
                      data-testid={`rule-up-${rule.id}`}
                      onClick={() => move(index, index - 1)}
                    />
                  </Tooltip>
                  <Tooltip title="Run later">
                    <Button
                      type="text"
                      size="small"
                      icon={<ArrowDownOutlined />}
                      disabled={index === all.length - 1 || reorder.isPending}
                      aria-label={`Move ${rule.name} down`}
                      data-testid={`rule-down-${rule.id}`}
                      onClick={() => move(index, index + 1)}
                    />
                  </Tooltip>
                </>
              )}
              <Tooltip title="Test it and see its log">
                <Button
                  type="text"
                  size="small"
                  icon={<ExperimentOutlined />}
                  aria-label={`Test ${rule.name}`}
                  onClick={() => navigate(`/rules/show/${rule.id}`)}
                />
              </Tooltip>
              {canEdit?.can && (
                <Tooltip title="Edit">
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={`Edit ${rule.name}`}
                    data-testid={`rule-edit-${rule.id}`}
                    onClick={() => navigate(`/rules/edit/${rule.id}`)}
                  />
                </Tooltip>
              )}
              <DeleteButton
                resource="rules"
                recordItemId={rule.id}
                hideText
                size="small"
                type="text"
                confirmTitle={`Delete “${rule.name}”?`}
                confirmOkText="Delete"
                confirmCancelText="Keep it"
                aria-label={`Delete ${rule.name}`}
                data-testid={`rule-delete-${rule.id}`}
                successNotification={{ message: `Deleted “${rule.name}”`, type: 'success' }}
              />
            </Flex>
          )
        },
      }
    )
    return cols
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [all, mayReorder, schema.data, canEdit?.can, toggling, reorder.isPending])

  const teamPicker =
    (teams.data?.length ?? 0) > 1 ? (
      <Select
        key="team"
        value={teamId}
        onChange={(id: number) => {
          setOrder(null)
          remember(id)
          setParams({ teamId: String(id) })
        }}
        options={teams.data!.map((t) => ({ value: t.id, label: t.name }))}
        aria-label="Team"
        data-testid="rules-team"
        style={{ width: 200 }}
        showSearch
        optionFilterProp="label"
      />
    ) : null

  const createButton = canCreate?.can ? (
    <Button
      key="create"
      type="primary"
      icon={<PlusOutlined />}
      data-testid="rules-create"
      onClick={() => navigate(`/rules/create${teamId ? `?teamId=${teamId}` : ''}`)}
    >
      Create rule
    </Button>
  ) : null

  return (
    <List
      title="Rules"
      headerButtons={() => (
        <Flex gap={8} wrap>
          {teamPicker}
          {canCreate?.can && (
            <Button
              icon={<UploadOutlined />}
              onClick={() => setImporting(true)}
              disabled={!teamId}
              data-testid="rules-import"
            >
              Import
            </Button>
          )}
          <Button
            icon={<DownloadOutlined />}
            onClick={download}
            loading={exporting}
            disabled={!teamId || !all.length}
            data-testid="rules-export"
          >
            Export
          </Button>
          {createButton}
        </Flex>
      )}
    >
      <style>{STYLES}</style>
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 12 }} wrap>
        <Typography.Text type="secondary" style={{ maxWidth: 720 }}>
          Rules run from the top down each time their trigger happens
          {team ? (
            <>
              {' '}
              in <b>{team.name}</b>
            </>
          ) : null}
          .{' '}
          {mayReorder
            ? 'Drag a row by its handle, or use the arrows, to change the order.'
            : filter && canEdit?.can
              ? 'Clear the filter to change the order.'
              : null}
        </Typography.Text>
        <Input.Search
          allowClear
          placeholder="Filter by name"
          aria-label="Filter rules by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 240 }}
          data-testid="rules-search"
        />
      </Flex>
      {rules.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message="The rules could not be loaded"
          description={rules.error?.message}
          action={<Button onClick={() => rules.refetch()}>Try again</Button>}
        />
      )}
      <Table<Rule>
        rowKey="id"
        size="middle"
        data-testid="rules-table"
        dataSource={rows}
        columns={columns}
        loading={rules.isLoading || teams.isLoading || reorder.isPending}
        pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
        rowClassName={(rule) => (rule.enabled ? '' : 'rule-disabled')}
        components={{ body: { row: Row } }}
        onRow={(rule, index) =>
          ({
            index,
            'data-testid': `rule-row-${rule.id}`,
            'dragging': dragging === index,
            'over': over && over.index === index && dragging !== null ? over.half : null,
            'onDragOverRow':
              mayReorder && dragging !== null
                ? (i: number, half: 'above' | 'below') =>
                    setOver((o) => (o?.index === i && o.half === half ? o : { index: i, half }))
                : undefined,
            'onDropRow': drop,
          }) as HTMLAttributes<HTMLTableRowElement>
        }
        locale={{
          emptyText: filter ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={`No rule named like “${search}”`}
            />
          ) : (
            <Empty
              description={
                <div style={{ maxWidth: 520, margin: '0 auto' }}>
                  <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                    No rules yet
                  </Typography.Paragraph>
                  <Typography.Paragraph type="secondary">
                    A rule does something on its own: <i>when</i> something happens (a message
                    arrives, a conversation waits too long), <i>if</i> its conditions hold (the
                    message mentions a refund), it <i>does</i> its actions (replies, tags, hands the
                    conversation to a person).
                  </Typography.Paragraph>
                </div>
              }
              data-testid="rules-empty"
            >
              {createButton}
            </Empty>
          ),
        }}
      />
      {teamId !== undefined && (
        <ImportRules
          open={importing}
          teamId={teamId}
          teamName={team?.name}
          onClose={() => setImporting(false)}
          onImported={() => {
            setImporting(false)
            queryClient.invalidateQueries({ queryKey: teamRulesKey(teamId) })
          }}
        />
      )}
    </List>
  )
}
