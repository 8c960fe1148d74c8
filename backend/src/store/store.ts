import type { CompiledModel, LeadAccount, LeadListSort, LeadPatch, NewLead, Outcome, ScoringModel, Stage } from '../../../shared/index';
import type { PreparedEvent } from '../domain/events';
import type { AttributeValue, LeadRecord } from '../domain/lead-record';
import type { Role } from '../domain/tokens';
import type { DialectName } from './sql/dialect';
import type { JobRecord } from './jobs/jobs';
import type { WebhookStore } from './webhooks/webhook-store';
import type { ActiveChallenger, ChallengerRecord } from './challenger/challengers';
import type { ExportedLead, ImportBatchResult, ImportRow } from './leads/import-rows';
import type { ClosedLead } from './reports/closed-leads';
import type { SessionLimits } from './tenancy/sessions';
import type { LeadListFilter, LeadListPage, LeadListPosition, LeadListRecord } from './leads/list-leads';
import type { CreatedPeriod, LeadOutcomeRow } from './reports/lead-outcomes';
import type { AccountRecord } from '../domain/account-record';
import type { TargetAccountRow } from './accounts/target-accounts';

export type { AccountRecord, LeadListFilter, LeadListPage, LeadListPosition, LeadListRecord, SessionLimits, TargetAccountRow };
export type { ActiveChallenger, ChallengerRecord, AttributeValue, ClosedLead, CreatedPeriod, ExportedLead, ImportBatchResult, ImportRow, JobRecord, LeadOutcomeRow, LeadRecord, PreparedEvent, Role };

export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
}

export interface Site {
  id: string;
  workspaceId: string;
  /** Public: the tracker's data-site and the Segment write key. */
  key: string;
  /** Origins (scheme://host[:port]) allowed to post to /collect; "*" allows any. */
  origins: string[];
  createdAt: number;
}

export interface TokenInfo {
  id: string;
  workspaceId: string;
  role: Role;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** Who made a change, for attribute provenance and stage history. */
export interface Actor {
  /** e.g. "token tok_abc (Dana's laptop)", "identify", "system". */
  name: string;
}

export interface StoredEvent {
  id: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
  at: number;
}

export interface StageChangeRecord {
  from: Stage | null;
  to: Stage;
  reason: string;
  at: number;
}

export interface CurrentModel {
  model: ScoringModel;
  compiled: CompiledModel;
  /** The workspace's challenger, compiled; null without one. */
  challenger: ActiveChallenger | null;
}

export interface LeadLookupQuery {
  emails: string[];
  linkedinUrls: string[];
  externalIds: string[];
}

export interface LeadLookup {
  byEmail: Map<string, LeadRecord>;
  byLinkedin: Map<string, LeadRecord>;
  byExternalId: Map<string, LeadRecord>;
  /** The account line of each lead found in an account, by account id. */
  accounts: Map<string, LeadAccount>;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/** Position in a lead's timeline (newest first): events strictly older than this. */
export interface TimelineCursor {
  at: number;
  id: number;
}

/** A request's Idempotency-Key and a hash of what it asked for. */
export interface Idempotency {
  key: string;
  requestHash: string;
}

export interface LeadWrite {
  lead: LeadRecord;
  /** True when the Idempotency-Key was seen before and nothing was applied this time. */
  replayed: boolean;
}

export interface EraseResult {
  events: number;
  identities: number;
}

/**
 * Everything the routes and the CLI need from storage. Every lead operation is scoped to a
 * workspace: an id from another workspace behaves exactly like an id that does not exist.
 * Writes that span several rows (ingest, merges, patches, rescoring) are atomic.
 * Expected failures (conflicts, reused idempotency keys) are thrown as `DomainError` (a kind, not an HTTP status).
 */
export interface Store {
  readonly dialect: DialectName;
  /** Finishes pending work and closes the database. */
  close(): Promise<void>;

  /**
   * Runs `work` only on an empty database (no workspace yet), once even when several instances start together
   * (on PostgreSQL under a database lock); returns undefined when the database was not empty.
   */
  onFirstStart<T>(work: () => Promise<T>): Promise<T | undefined>;
  createWorkspace(name: string, now: number): Promise<Workspace>;
  listWorkspaces(): Promise<Workspace[]>;
  getWorkspace(id: string): Promise<Workspace | undefined>;
  /** The workspace's secret for signing email links; generated with the workspace. */
  linkSecret(workspaceId: string): Promise<string>;

  createSite(workspaceId: string, origins: string[], now: number): Promise<Site>;
  listSites(workspaceId?: string): Promise<Site[]>;
  findSiteByKey(key: string): Promise<Site | undefined>;
  /** Adds origins to a site's allowed list; undefined when there is no such site. */
  addSiteOrigins(key: string, origins: string[]): Promise<Site | undefined>;

  /** Returns the secret once; only its hash is stored. */
  createToken(workspaceId: string, role: Role, label: string | null, now: number): Promise<{ token: TokenInfo; secret: string }>;
  listTokens(workspaceId?: string): Promise<TokenInfo[]>;
  /** False when there is no such token (revoking twice is fine). */
  revokeToken(id: string, now: number): Promise<boolean>;
  /** The token with this secret, revoked or not; undefined when unknown. */
  findToken(secret: string): Promise<TokenInfo | undefined>;

  /** A console session for the token; returns the cookie's secret once (only its hash is stored). Deletes sessions expired by `limits`. */
  createSession(tokenId: string, now: number, limits: SessionLimits): Promise<string>;
  /** The token of a live session (known, not idle or older than `limits`, token not revoked); expired ones are deleted. */
  findSession(secret: string, now: number, limits: SessionLimits): Promise<TokenInfo | undefined>;
  /** Signs out: the session no longer exists. Unknown secrets are fine. */
  deleteSession(secret: string): Promise<void>;

  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  /** The workspace's current model (the highest version), compiled. */
  currentModel(workspaceId: string): Promise<CurrentModel>;
  /**
   * Stores the model as the next version and, in the same transaction, the job that rescores
   * every lead with it (superseding the workspace's unfinished rescore jobs); a JobRunner runs it.
   */
  putModel(workspaceId: string, model: ScoringModel, actor: Actor, now: number): Promise<{ model: ScoringModel; job: JobRecord }>;
  /**
   * Makes `model` the workspace's challenger (replacing any other; every shadow score is cleared) and, in the same
   * transaction, queues the shadow job that scores every lead under it; a JobRunner runs it.
   */
  setChallenger(workspaceId: string, model: ScoringModel, actor: Actor, now: number): Promise<{ challenger: ChallengerRecord; job: JobRecord }>;
  /** The workspace's challenger and its newest shadow job; undefined without a challenger. */
  getChallenger(workspaceId: string): Promise<{ challenger: ChallengerRecord; job: JobRecord | null } | undefined>;
  /** Removes the challenger and every shadow score, and supersedes its shadow job; false when there was none. */
  stopChallenger(workspaceId: string, now: number): Promise<boolean>;
  /**
   * Makes the challenger the model as putModel does (the next version and its rescore job) and removes the
   * challenger, in one transaction; undefined when there is no challenger.
   */
  promoteChallenger(workspaceId: string, actor: Actor, now: number): Promise<{ model: ScoringModel; job: JobRecord } | undefined>;
  /** Undefined when there is no such job in this workspace. */
  getJob(workspaceId: string, id: string): Promise<JobRecord | undefined>;
  /** Rescores every lead of the workspace with the current model; returns how many. */
  rescoreAll(workspaceId: string, now: number): Promise<number>;
  /**
   * Takes the oldest queued job, or a running one whose lease expired, for `owner` until
   * now + leaseMs; undefined when there is none. Only one caller gets a given job.
   */
  claimJob(owner: string, leaseMs: number, now: number): Promise<JobRecord | undefined>;
  /** False when the job is no longer `owner`'s (taken over after its lease expired, or superseded). */
  renewJobLease(id: string, owner: string, leaseMs: number, now: number): Promise<boolean>;
  /** Lets another instance take the job at once. */
  releaseJobLease(id: string, owner: string): Promise<void>;
  /**
   * Runs `owner`'s claimed job to its end: rescores the leads not yet on its model version a batch
   * at a time (each batch commits with its leads marked, so a crash loses at most the batch in
   * flight), keeping the progress, then marks it done; superseded when a newer model came first.
   * `keepGoing` is asked after each batch; when it says no, the run stops and the job stays running
   * for whoever takes it next. Returns the job as it ended (or stopped).
   */
  runJob(job: JobRecord, owner: string, keepGoing: () => boolean, now: () => number): Promise<JobRecord>;

  /**
   * Stores a validated batch in one transaction: events (once per messageId, visitor or user, and site), identity
   * links, and the scores of every lead it touched. It never merges two leads (see resolveIdentities).
   */
  ingest(site: Site, events: PreparedEvent[], now: number): Promise<IngestResult>;

  /**
   * The extension's batch lookup in one read: leads by email, LinkedIn URL and external id (the id
   * a CRM or a CSV import knows the lead by), each map keyed by the normalized value (values
   * without a lead absent), and their account lines.
   */
  lookUpLeads(workspaceId: string, asked: LeadLookupQuery): Promise<LeadLookup>;
  /** Keyed by normalized email; emails without a lead are absent. */
  findLeadsByEmails(workspaceId: string, emails: string[]): Promise<Map<string, LeadRecord>>;
  findLeadByVisitor(workspaceId: string, anonymousId: string): Promise<LeadRecord | undefined>;
  getLead(workspaceId: string, id: string): Promise<LeadRecord | undefined>;
  /** Newest first; `next` is where the following page starts, null at the end. */
  timeline(workspaceId: string, leadId: string, page: { before?: TimelineCursor; limit: number }): Promise<{ events: StoredEvent[]; next: TimelineCursor | null }>;
  stageHistory(workspaceId: string, leadId: string): Promise<StageChangeRecord[]>;
  /** Leads whose stored score is at least `minScore`, highest first, `offset` skipped. */
  leadsByScore(workspaceId: string, page: { minScore: number; offset: number; limit: number }): Promise<LeadRecord[]>;
  /** A page of the workspace's leads for the console's table: filtered, searched, in keyset order (see list-leads.ts). */
  listLeads(workspaceId: string, filter: LeadListFilter, order: { sort: LeadListSort; after?: LeadListPosition }, limit: number): Promise<LeadListPage>;
  /** Creates a lead; a DomainError('conflict') when its email or LinkedIn URL already belongs to one. */
  createLead(workspaceId: string, input: NewLead, actor: Actor, now: number, idempotency?: Idempotency): Promise<LeadWrite>;
  /** Undefined when the lead does not exist in this workspace. */
  patchLead(workspaceId: string, id: string, patch: LeadPatch, actor: Actor, now: number, idempotency?: Idempotency): Promise<LeadWrite | undefined>;
  /**
   * A rep's merge of lead `otherId` into lead `id` (the survivor; see mergeLeadRecords for what wins); undefined
   * when either is not in this workspace, a DomainError('invalid') when both are the same lead.
   */
  mergeLeads(workspaceId: string, id: string, otherId: string, actor: Actor, now: number, idempotency?: Idempotency): Promise<LeadWrite | undefined>;
  /**
   * Writes one batch of imported rows in one transaction: each row updates the lead its external id or
   * email names, or creates one (`dryRun`: the same, rolled back). A row that contradicts stored identities is refused whole and
   * reported; the others are written. Re-importing the same rows changes nothing but update times.
   */
  importLeads(workspaceId: string, rows: ImportRow[], actor: Actor, now: number, options?: { dryRun?: boolean }): Promise<ImportBatchResult>;
  /** Every lead of the workspace in id order, a page at a time, with its external id. */
  exportLeads(workspaceId: string, pageSize?: number): AsyncIterable<ExportedLead>;
  /** Erases the lead, its events, identities, stage and attribute history and idempotency records (GDPR). */
  eraseLead(workspaceId: string, id: string, now?: number): Promise<EraseResult | undefined>;

  /** The account lines (LeadAccount) of these accounts, by id (those that exist): the accounts of a page of leads. */
  accountLines(workspaceId: string, ids: readonly string[]): Promise<Map<string, LeadAccount>>;
  getAccount(workspaceId: string, id: string): Promise<AccountRecord | undefined>;
  /** The account of a registrable domain (already normalized, see businessDomain). */
  findAccountByDomain(workspaceId: string, domain: string): Promise<AccountRecord | undefined>;
  topAccounts(workspaceId: string, query: { tier?: string; limit: number }): Promise<AccountRecord[]>;
  /** An account's people, best score first. */
  accountMembers(workspaceId: string, accountId: string, limit: number): Promise<LeadRecord[]>;
  /** A target-account list: each row's account marked a target (created if new), then rolled up, in one transaction. */
  importTargetAccounts(workspaceId: string, rows: readonly TargetAccountRow[], now: number): Promise<{ created: number; updated: number }>;
  /** Webhook endpoints, deliveries and the dispatcher's claims (the outbox itself is written by the changes). */
  readonly webhooks: WebhookStore;

  /** The leads created in the period with their score, tier, grade, outcome and attributes, a page at a time (for reports). */
  leadOutcomes(workspaceId: string, period: CreatedPeriod): AsyncIterable<LeadOutcomeRow[]>;
  /**
   * The leads of the period with a dated outcome (dated at or after `outcomeFrom` when given), each as it stood
   * at that date (for backtests and the challenger report), a page at a time.
   */
  closedLeadsAsOf(workspaceId: string, period: CreatedPeriod, outcomeFrom?: number): AsyncIterable<ClosedLead[]>;
  /** How many leads of the period have an outcome without a date. */
  countUndatedOutcomes(workspaceId: string, period: CreatedPeriod): Promise<number>;
  /** A stored model version of the workspace, if it exists. */
  modelVersion(workspaceId: string, version: number): Promise<ScoringModel | undefined>;
}
