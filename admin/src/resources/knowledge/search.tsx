import { useEffect, useState } from 'react'
import { List as RefineList } from '@refinedev/antd'
import { useGetIdentity, type HttpError } from '@refinedev/core'
import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Progress,
  Skeleton,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import { Link, useSearchParams } from 'react-router'
import { api } from '../../providers/http'
import type { Me } from '../../providers/session'
import type { ApiList } from '../../providers/data_core'
import { TeamSelect } from '../../components/team_select'
import { useTeams } from '../../lib/lookups'
import { KnowledgeNav } from './nav'
import { fieldMessage } from '../../lib/form_errors'
import { CollectionSelect, HeadingPath, useCollections, type Hit } from './shared'

const DEFAULT_THRESHOLD = 0.5

/**
 * What the assistant would find for a question: the ranked chunks with their
 * score and confidence, against the team's answering threshold. The query
 * lives in the address, so a result can be shared.
 */
export default function SearchPage() {
  const [params, setParams] = useSearchParams()
  const { teams, teamById: teamsById, loading: teamsLoading } = useTeams()
  const { byId: collections } = useCollections()

  const q = params.get('q')?.trim() ?? ''
  const teamParam = Number(params.get('teamId')) || undefined
  const collectionId = Number(params.get('collectionId')) || undefined
  const limit = Math.min(50, Math.max(1, Number(params.get('limit')) || 10))
  const { data: me } = useGetIdentity<Me>()
  // Unless one is chosen: the only team, else the user's own first team.
  const teamId =
    teamParam ??
    (teams.length === 1
      ? teams[0].id
      : me?.teams.map((t) => t.id).find((id) => teams.some((t) => t.id === id)))
  const [typed, setTyped] = useState(q)
  useEffect(() => setTyped(q), [q])

  const update = (change: Record<string, string | number | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current)
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined || value === '') next.delete(key)
        else next.set(key, String(value))
      }
      return next
    })

  const search = useQuery<ApiList<Hit>, HttpError>({
    queryKey: ['knowledge-search', q, teamId, collectionId, limit],
    queryFn: () =>
      api<ApiList<Hit>>('GET', '/knowledge/search', {
        query: { q, teamId, collectionId, limit },
      }),
    enabled: Boolean(q && teamId),
    retry: false,
  })

  const team = teamId ? teamsById.get(teamId) : undefined
  const threshold = team?.settings?.assistant?.threshold ?? DEFAULT_THRESHOLD
  const hits = search.data?.data ?? []
  const fieldError = (field: string) => fieldMessage(search.error, field)

  return (
    <RefineList
      title="Search playground"
      canCreate={false}
      breadcrumb={<KnowledgeNav active="search" />}
    >
      <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
        Ask a question the way a customer would. You see the passages the assistant would read, best
        first. When the best passage's confidence is below the team's threshold (
        {Math.round(threshold * 100)}%), the assistant hands the conversation to a person instead.
      </Typography.Paragraph>
      <Form
        layout="vertical"
        onFinish={() => update({ q: typed.trim() || undefined })}
        data-testid="search-form"
      >
        <Space wrap align="start" size={12}>
          {teams.length > 1 && (
            <Form.Item
              label="Team"
              required
              validateStatus={fieldError('teamId') || (!teamId && typed) ? 'error' : undefined}
              help={fieldError('teamId') ?? (!teamId && typed ? 'Choose a team' : undefined)}
            >
              <TeamSelect
                style={{ width: 200 }}
                value={teamId}
                onChange={(value) => update({ teamId: value, collectionId: undefined })}
                aria-label="Team"
                data-testid="search-team"
              />
            </Form.Item>
          )}
          <Form.Item
            label="Collection"
            validateStatus={fieldError('collectionId') ? 'error' : undefined}
            help={fieldError('collectionId')}
          >
            <CollectionSelect
              allowClear
              placeholder="All of the team's collections"
              style={{ width: 260 }}
              teamId={teamId}
              disabled={!teamId && teams.length > 1}
              value={collectionId}
              onChange={(value) => update({ collectionId: value })}
              aria-label="Collection"
              data-testid="search-collection"
            />
          </Form.Item>
          <Form.Item label="Results">
            <InputNumber
              min={1}
              max={50}
              value={limit}
              onChange={(value) => update({ limit: value ?? undefined })}
              style={{ width: 80 }}
              aria-label="Number of results"
              data-testid="search-limit"
            />
          </Form.Item>
        </Space>
        <Form.Item
          label="Question"
          validateStatus={fieldError('q') ? 'error' : undefined}
          help={fieldError('q')}
          style={{ maxWidth: 760 }}
        >
          <Input.Search
            size="large"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            enterButton="Search"
            maxLength={500}
            placeholder="How do I change my card?"
            allowClear
            loading={search.isFetching}
            aria-label="Question"
            data-testid="search-query"
          />
        </Form.Item>
      </Form>

      {search.isError && !search.error?.errors && (
        <Alert type="error" showIcon message={search.error?.message ?? 'The search failed.'} />
      )}
      {!q ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            teamsLoading
              ? ' '
              : 'Type a question above, for instance one a customer asked recently.'
          }
        />
      ) : !teamId ? null : search.isLoading ? (
        <Skeleton active />
      ) : search.isSuccess && hits.length === 0 ? (
        <Empty
          data-testid="search-empty"
          description={
            <span>
              No passage matches “{q}”.
              <br />
              The assistant would hand this question to a person. Add a document that answers it.
            </span>
          }
        />
      ) : (
        <Space
          direction="vertical"
          size={12}
          style={{ width: '100%' }}
          data-testid="search-results"
        >
          {search.isSuccess && (
            <Typography.Text type="secondary">
              {hits.length} {hits.length === 1 ? 'passage' : 'passages'}
              {hits[0] &&
                (hits[0].confidence! >= threshold ? (
                  <Tag color="success" style={{ marginLeft: 8 }}>
                    The assistant would answer
                  </Tag>
                ) : (
                  <Tag color="warning" style={{ marginLeft: 8 }}>
                    Below the threshold: the assistant would hand over
                  </Tag>
                ))}
            </Typography.Text>
          )}
          {hits.map((hit, rank) => (
            <HitCard
              key={hit.chunkId}
              hit={hit}
              rank={rank + 1}
              threshold={threshold}
              collectionName={collections.get(hit.collectionId!)?.name}
            />
          ))}
        </Space>
      )}
    </RefineList>
  )
}

function HitCard({
  hit,
  rank,
  threshold,
  collectionName,
}: {
  hit: Hit
  rank: number
  threshold: number
  collectionName?: string
}) {
  const confidence = hit.confidence ?? 0
  const percent = Math.round(confidence * 100)
  return (
    <Card size="small" data-testid="search-hit" data-rank={rank}>
      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
        <Typography.Title level={4} type="secondary" style={{ margin: 0, minWidth: 32 }}>
          {rank}
        </Typography.Title>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Space size={8} wrap>
            <Link
              to={`/knowledge/documents/${hit.documentId}?chunk=${hit.chunkId}`}
              data-testid="search-hit-document"
              style={{ fontWeight: 600, fontSize: 15 }}
            >
              {hit.title}
            </Link>
            {collectionName && <Tag>{collectionName}</Tag>}
          </Space>
          <div style={{ margin: '2px 0 6px' }}>
            <HeadingPath heading={hit.heading} />
          </div>
          <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="search-hit-snippet">
            {/* The API escapes the snippet and adds only <mark>. */}
            <span
              className="sb-snippet"
              dangerouslySetInnerHTML={{ __html: hit.snippet ?? escapeText(hit.text ?? '') }}
            />
          </Typography.Paragraph>
        </div>
        <div style={{ width: 170, flexShrink: 0 }}>
          <Tooltip
            title={`How much of the question this passage covers. The assistant answers from ${Math.round(threshold * 100)}% up.`}
          >
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              Confidence
            </Typography.Text>
            <Progress
              percent={percent}
              size="small"
              format={(p) => `${p}%`}
              strokeColor={confidence >= threshold ? '#52c41a' : '#faad14'}
              aria-label={`Confidence ${percent}%`}
              data-testid="search-hit-confidence"
            />
          </Tooltip>
          <Tooltip title="BM25 relevance score; higher ranks first">
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12 }}
              data-testid="search-hit-score"
            >
              Score {hit.score?.toFixed(3)}
            </Typography.Text>
          </Tooltip>
        </div>
      </div>
    </Card>
  )
}

const escapeText = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
