/** The overview's shapes, from the types generated from the OpenAPI document. */
import type { paths } from '../../api/schema'

type Overview = paths['/api/v1/reports/overview']['get']

/** GET /reports/overview's answer: `{data, meta}`. */
export type OverviewBody = Overview['responses'][200]['content']['application/json']
export type ReportOverview = OverviewBody['data']
export type Kpis = ReportOverview['kpis']
export type Series = ReportOverview['series']
