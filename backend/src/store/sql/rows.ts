import type { Selectable } from 'kysely';
import type { LeadAccount, LeadAggregate, Outcome, Stage } from '../../../../shared/index';
import type { AccountRecord } from '../../domain/account-record';
import type { Role } from '../../domain/tokens';
import type { Database } from './schema';
import type { LeadRecord, Site, StageChangeRecord, StoredEvent, TokenInfo, Workspace } from '../store';

type Row<T extends keyof Database> = Selectable<Database[T]>;

/** A lead's row without the challenger's shadow columns, which only store/challenger/ reads and writes. */
export type LeadRow = Omit<Row<'leads'>, 'shadow_score' | 'shadow_tier' | 'shadow_aggregate'>;

/** The columns of a LeadRow, for reads that name them (the challenger's shadow aggregate is as large as the lead's own). */
export const LEAD_ROW_COLUMNS = [
  'id', 'workspace_id', 'email', 'name', 'linkedin_url', 'attributes', 'stage', 'outcome', 'outcome_at', 'aggregate',
  'score', 'fit', 'engagement', 'tier', 'grade', 'scored_at', 'model_version', 'created_at', 'updated_at', 'account_id',
] as const satisfies readonly (keyof LeadRow)[];

export function workspaceFromRow(row: Row<'workspaces'>): Workspace {
  return { id: row.id, name: row.name, createdAt: Number(row.created_at) };
}

export function siteFromRow(row: Row<'sites'>): Site {
  return { id: row.id, workspaceId: row.workspace_id, key: row.key, origins: JSON.parse(row.origins) as string[], createdAt: Number(row.created_at) };
}

/** What a token's info is read from (never its hash): named, so the per-request token check is a prepared statement on PostgreSQL. */
export const TOKEN_COLUMNS = ['id', 'workspace_id', 'role', 'label', 'created_at', 'revoked_at'] as const satisfies readonly (keyof Row<'tokens'>)[];

export function tokenFromRow(row: Pick<Row<'tokens'>, (typeof TOKEN_COLUMNS)[number]>): TokenInfo {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    role: row.role as Role,
    label: row.label,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export function leadFromRow(row: LeadRow): LeadRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    name: row.name,
    linkedinUrl: row.linkedin_url,
    attributes: JSON.parse(row.attributes) as LeadRecord['attributes'],
    stage: row.stage as Stage,
    outcome: row.outcome as Outcome | null,
    outcomeAt: row.outcome_at === null ? null : Number(row.outcome_at),
    aggregate: JSON.parse(row.aggregate) as LeadAggregate,
    score: row.score,
    fit: row.fit,
    engagement: row.engagement,
    tier: row.tier,
    grade: row.grade,
    scoredAt: Number(row.scored_at),
    modelVersion: Number(row.model_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    accountId: row.account_id,
  };
}

/** The account columns a lead's account line reads. */
export const ACCOUNT_LINE_COLUMNS = ['id', 'name', 'domain', 'score', 'tier', 'people_engaged'] as const satisfies readonly (keyof Row<'accounts'>)[];

/** A lead's account line (LeadAccount) from those columns, however the query named them. */
export function leadAccountFromRow(row: Pick<Row<'accounts'>, (typeof ACCOUNT_LINE_COLUMNS)[number]>): LeadAccount {
  return { id: row.id, name: row.name, domain: row.domain, score: Number(row.score), tier: row.tier, peopleEngaged: Number(row.people_engaged) };
}

export function accountFromRow(row: Row<'accounts'>): AccountRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    key: row.key,
    domain: row.domain,
    name: row.name,
    attributes: JSON.parse(row.attributes) as AccountRecord['attributes'],
    score: row.score,
    fit: row.fit,
    engagement: row.engagement,
    tier: row.tier,
    people: Number(row.people),
    peopleEngaged: Number(row.people_engaged),
    breakdown: JSON.parse(row.breakdown) as AccountRecord['breakdown'],
    scoredAt: Number(row.scored_at),
    createdAt: Number(row.created_at),
  };
}

/** `aggregateJson`: the aggregate already serialized (a bulk import reuses one text for every new lead's empty aggregate). */
export function leadToRow(lead: LeadRecord, aggregateJson?: string): LeadRow {
  return {
    id: lead.id,
    workspace_id: lead.workspaceId,
    email: lead.email,
    name: lead.name,
    linkedin_url: lead.linkedinUrl,
    attributes: JSON.stringify(lead.attributes),
    stage: lead.stage,
    outcome: lead.outcome,
    outcome_at: lead.outcomeAt,
    aggregate: aggregateJson ?? JSON.stringify(lead.aggregate),
    score: lead.score,
    fit: lead.fit,
    engagement: lead.engagement,
    tier: lead.tier,
    grade: lead.grade,
    scored_at: lead.scoredAt,
    model_version: lead.modelVersion,
    created_at: lead.createdAt,
    updated_at: lead.updatedAt,
    account_id: lead.accountId,
  };
}

export function eventFromRow(row: Pick<Row<'events'>, 'id' | 'type' | 'name' | 'properties' | 'at'>): StoredEvent {
  return {
    id: String(row.id),
    type: row.type,
    name: row.name,
    properties: row.properties ? (JSON.parse(row.properties) as Record<string, unknown>) : {},
    at: Number(row.at),
  };
}

export function stageChangeFromRow(row: Pick<Row<'stage_changes'>, 'from_stage' | 'to_stage' | 'reason' | 'at'>): StageChangeRecord {
  return { from: row.from_stage as Stage | null, to: row.to_stage as Stage, reason: row.reason, at: Number(row.at) };
}
