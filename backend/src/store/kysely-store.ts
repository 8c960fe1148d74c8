import type { Kysely } from 'kysely';
import { ScoringModel, type LeadListSort, type LeadPatch, type NewLead } from '../../../shared/index';
import { DomainError } from '../domain/errors';
import type { PreparedEvent } from '../domain/events';
import { normalizeEmail } from '../../../shared/email';
import { normalizeLinkedinUrl } from '../../../shared/linkedin';
import type { Role } from '../domain/tokens';
import type { DialectName, SqlDialect } from './sql/dialect';
import { eraseLead } from './leads/erase-lead';
import { ingestEvents } from './leads/ingest';
import { IngestQueue } from './leads/commit-groups';
import { kyselyEventWriter, type EventWriter } from './leads/event-writer';
import * as reads from './leads/read-leads';
import * as accounts from './accounts/read-accounts';
import { importTargetAccounts, type TargetAccountRow } from './accounts/target-accounts';
import { mergeLeads } from './leads/merge-leads';
import { listLeads, type LeadListFilter, type LeadListPosition } from './leads/list-leads';
import { applyOnce, createLead, patchLead } from './leads/rep-edits';
import { migrateToLatest } from './sql/migrations';
import { rescoreWorkspace, type RescoreIO, type RescoreOptions } from './rescore/rescore-workspace';
import * as jobs from './jobs/jobs';
import { closedLeadsAsOf, countUndated } from './reports/closed-leads';
import { leadOutcomes, type CreatedPeriod } from './reports/lead-outcomes';
import type { JobRecord } from './jobs/jobs';
import type { Database } from './sql/schema';
import { ModelCache } from './leads/score-lead';
import { readChallenger, removeChallenger, storeChallenger } from './challenger/challengers';
import { shadowScoreAll } from './challenger/shadow-job';
import { refreshShadowScore, refreshShadowScoresWrittenAt } from './challenger/shadow-score';
import type { Actor, CurrentModel, Idempotency, LeadLookup, LeadLookupQuery, ImportRow, Site, Store, TimelineCursor } from './store';
import { exportLeads, importLeads, type ImportBatchResult } from './leads/import-rows';
import { kyselyImportWriter, type ImportWriter } from './import/import-writer';
import { KyselyTenancy } from './tenancy/tenancy';
import { WebhookStore } from './webhooks/webhook-store';
import { recordWebhookEvent } from './webhooks/outbox';

/** Thrown to roll back a dry run's transaction, carrying what it would have done. */
class DryRunDone extends Error {
  constructor(readonly result: ImportBatchResult) {
    super('dry run');
  }
}

/**
 * The Store over any Kysely dialect. The SQL is written once; a subclass brings the connection
 * (SqliteStore, and the PostgreSQL store) and the few dialect differences (SqlDialect).
 * Workspaces, sites, tokens and settings come from KyselyTenancy; leads and models are here.
 */
export abstract class KyselyStore extends KyselyTenancy implements Store {
  readonly dialect: DialectName;
  readonly #models = new ModelCache();
  readonly webhooks: WebhookStore;

  constructor(
    db: Kysely<Database>,
    private readonly sqlDialect: SqlDialect,
  ) {
    super(db);
    this.dialect = sqlDialect.name;
    this.webhooks = new WebhookStore(db, sqlDialect.name);
  }

  /** Brings the schema up to date; called once after opening. */
  async migrate(): Promise<void> {
    await migrateToLatest(this.db, this.sqlDialect);
  }

  #closed: Promise<void> | undefined;

  /** Closes the database once; later calls wait for the same close. */
  close(): Promise<void> {
    return (this.#closed ??= this.db.destroy());
  }

  onFirstStart<T>(work: () => Promise<T>) {
    return this.sqlDialect.exclusively(this.db, 'first-start', async () => {
      const empty = (await this.db.selectFrom('workspaces').select('id').limit(1).execute()).length === 0;
      return empty ? work() : undefined;
    });
  }
  listLeads(workspaceId: string, filter: LeadListFilter, order: { sort: LeadListSort; after?: LeadListPosition }, limit: number) {
    return listLeads(this.db, this.dialect, workspaceId, filter, order, limit);
  }

  currentModel(workspaceId: string) {
    return this.#models.current(this.db, workspaceId);
  }

  putModel(workspaceId: string, model: ScoringModel, actor: Actor, now: number) {
    return this.sqlDialect.transaction(this.db, workspaceId, (trx) => this.#storeModel(trx, workspaceId, model, actor, now));
  }

  /** Stores `model` as the next version with its rescore job, inside the caller's transaction. */
  async #storeModel(trx: Kysely<Database>, workspaceId: string, model: ScoringModel, actor: Actor, now: number) {
    const { compiled } = await this.#models.current(trx, workspaceId);
    const next = ScoringModel.parse({ ...model, version: compiled.version + 1 });
    await trx
      .insertInto('models')
      .values({ workspace_id: workspaceId, version: next.version, body: JSON.stringify(next), created_by: actor.name, created_at: now })
      .execute();
    const changed = { type: 'model.changed', timestamp: new Date(now).toISOString(), data: { version: next.version, name: next.name } } as const;
    await recordWebhookEvent(trx, workspaceId, null, changed, now);
    return { model: next, job: await jobs.queueRescore(trx, workspaceId, next.version, now) };
  }

  setChallenger(workspaceId: string, model: ScoringModel, actor: Actor, now: number) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
      const challenger = await storeChallenger(trx, workspaceId, model, actor.name, now);
      return { challenger, job: await jobs.queueShadow(trx, workspaceId, now) };
    });
  }

  async getChallenger(workspaceId: string) {
    const challenger = await readChallenger(this.db, workspaceId);
    return challenger && { challenger, job: (await jobs.latestJob(this.db, workspaceId, 'shadow')) ?? null };
  }

  stopChallenger(workspaceId: string, now: number) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
      const removed = await removeChallenger(trx, workspaceId);
      if (removed) await jobs.supersedeJobs(trx, workspaceId, 'shadow', now);
      return removed;
    });
  }

  promoteChallenger(workspaceId: string, actor: Actor, now: number) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
      const challenger = await readChallenger(trx, workspaceId);
      if (!challenger) return undefined;
      await removeChallenger(trx, workspaceId);
      await jobs.supersedeJobs(trx, workspaceId, 'shadow', now);
      return this.#storeModel(trx, workspaceId, challenger.model, actor, now);
    });
  }

  getJob(workspaceId: string, id: string) {
    return jobs.getJob(this.db, workspaceId, id);
  }

  rescoreAll(workspaceId: string, now: number) {
    return this.#rescore(workspaceId, now);
  }

  #rescore(workspaceId: string, now: number, options: RescoreOptions = {}) {
    // One rescore per workspace at a time, across every instance (see SqlDialect.exclusively).
    return this.sqlDialect.exclusively(this.db, `rescore:${workspaceId}`, (db) => rescoreWorkspace(db, this.sqlDialect, this.#models, workspaceId, now, this.rescoreIO(db), options));
  }

  claimJob(owner: string, leaseMs: number, now: number) {
    return jobs.claimJob(this.db, owner, leaseMs, now);
  }
  renewJobLease(id: string, owner: string, leaseMs: number, now: number) {
    return jobs.renewLease(this.db, id, owner, leaseMs, now);
  }
  releaseJobLease(id: string, owner: string) {
    return jobs.releaseLease(this.db, id, owner);
  }

  runJob(job: JobRecord, owner: string, keepGoing: () => boolean, now: () => number): Promise<JobRecord> {
    return job.kind === 'shadow' ? this.#runShadowJob(job, owner, keepGoing, now) : this.#runRescoreJob(job, owner, keepGoing, now);
  }

  /** The shadow job of the workspace's challenger (see shadowScoreAll); superseded when the challenger is gone or replaced. */
  async #runShadowJob(job: JobRecord, owner: string, keepGoing: () => boolean, now: () => number): Promise<JobRecord> {
    const { challenger } = await this.#models.current(this.db, job.workspaceId);
    if (!challenger) return this.#endJob(job, owner, { state: 'superseded' }, now());
    const stopped = new Error('job stopped');
    let state: 'done' | 'superseded';
    try {
      await jobs.countProgress(this.db, job, owner);
      const afterBatch = async (scored: number) => {
        await jobs.addProgress(this.db, job.id, owner, scored);
        if (!keepGoing()) throw stopped;
      };
      state = await shadowScoreAll(this.db, this.sqlDialect, this.#models, job.workspaceId, challenger.id, afterBatch, now);
    } catch (error) {
      if (error === stopped) return (await jobs.getJob(this.db, job.workspaceId, job.id)) ?? job;
      return this.#endJob(job, owner, { state: 'failed', error: (error as Error).message }, now());
    }
    await jobs.countProgress(this.db, job, owner);
    return this.#endJob(job, owner, { state }, now());
  }

  async #runRescoreJob(job: JobRecord, owner: string, keepGoing: () => boolean, now: () => number): Promise<JobRecord> {
    const { compiled } = await this.#models.current(this.db, job.workspaceId);
    if (compiled.version !== job.modelVersion) return this.#endJob(job, owner, { state: 'superseded' }, now());
    const stopped = new Error('job stopped');
    try {
      await jobs.countProgress(this.db, job, owner);
      const afterBatch = async (rescored: number) => {
        await jobs.addProgress(this.db, job.id, owner, rescored);
        if (!keepGoing()) throw stopped;
      };
      await this.#rescore(job.workspaceId, now(), { pendingOnly: true, afterBatch });
    } catch (error) {
      if (error === stopped) return (await jobs.getJob(this.db, job.workspaceId, job.id)) ?? job;
      return this.#endJob(job, owner, { state: 'failed', error: (error as Error).message }, now());
    }
    // A model stored meanwhile rescored with its own version (the models cache follows it): that job supersedes this one.
    const after = await this.#models.current(this.db, job.workspaceId);
    const state = after.compiled.version === job.modelVersion ? 'done' : 'superseded';
    await jobs.countProgress(this.db, job, owner);
    return this.#endJob(job, owner, { state }, now());
  }

  async #endJob(job: JobRecord, owner: string, outcome: { state: 'done' | 'failed' | 'superseded'; error?: string }, now: number): Promise<JobRecord> {
    await jobs.finishJob(this.db, job.id, owner, outcome, now);
    return (await jobs.getJob(this.db, job.workspaceId, job.id)) ?? job;
  }

  /** How an import batch writes on this database, inside its transaction `trx`; see ImportWriter. */
  protected importWriter(trx: Kysely<Database>): ImportWriter {
    return kyselyImportWriter(trx);
  }

  /** How ingest inserts events on this database; see EventWriter. */
  protected eventWriter(): EventWriter {
    return kyselyEventWriter;
  }

  /** How a full rescore reads, scores and writes in bulk on this database; see RescoreIO. */
  protected abstract rescoreIO(db: Kysely<Database>): RescoreIO<unknown>;

  readonly #ingestQueue = new IngestQueue(
    (workspaceId, work) => this.sqlDialect.transaction(this.db, workspaceId, work),
    (trx, workspaceId) => {
      let model: Promise<CurrentModel> | undefined;
      const context = { model: () => (model ??= this.#models.current(trx, workspaceId)), writer: this.eventWriter() };
      return (site, events, now) => ingestEvents(trx, context, site, events, now);
    },
  );

  ingest(site: Site, events: PreparedEvent[], now: number) {
    return this.#ingestQueue.submit(site, events, now);
  }

  async lookUpLeads(workspaceId: string, asked: LeadLookupQuery): Promise<LeadLookup> {
    const { leads, accounts } = await reads.leadsByIdentities(this.db, workspaceId, {
      email: asked.emails.map(normalizeEmail),
      linkedin: asked.linkedinUrls.map(normalizeLinkedinUrl).filter((u): u is string => u !== null),
      external: asked.externalIds,
    });
    return { byEmail: leads.email!, byLinkedin: leads.linkedin!, byExternalId: leads.external!, accounts };
  }

  findLeadsByEmails(workspaceId: string, emails: string[]) {
    return reads.leadsByIdentity(this.db, workspaceId, 'email', emails.map(normalizeEmail));
  }
  async findLeadByVisitor(workspaceId: string, anonymousId: string) {
    return (await reads.leadsByIdentity(this.db, workspaceId, 'visitor', [anonymousId])).get(anonymousId);
  }
  getLead(workspaceId: string, id: string) {
    return reads.getLead(this.db, workspaceId, id);
  }
  timeline(workspaceId: string, leadId: string, page: { before?: TimelineCursor; limit: number }) {
    return reads.timeline(this.db, workspaceId, leadId, page);
  }
  stageHistory(workspaceId: string, leadId: string) {
    return reads.stageHistory(this.db, workspaceId, leadId);
  }
  leadsByScore(workspaceId: string, page: { minScore: number; offset: number; limit: number }) {
    return reads.leadsByScore(this.db, workspaceId, page);
  }

  createLead(workspaceId: string, input: NewLead, actor: Actor, now: number, idempotency?: Idempotency) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
      const { compiled, challenger } = await this.#models.current(trx, workspaceId);
      const write = await applyOnce(trx, workspaceId, idempotency, now, async () => {
        const lead = await createLead(trx, compiled, workspaceId, input, actor, now);
        if (challenger) await refreshShadowScore(trx, challenger, lead, 'rebuild', now);
        return lead;
      });
      if (!write) throw new DomainError('not_found', 'not_found', 'the lead created with this Idempotency-Key has since been erased');
      return write;
    });
  }

  patchLead(workspaceId: string, id: string, patch: LeadPatch, actor: Actor, now: number, idempotency?: Idempotency) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
      const { compiled, challenger } = await this.#models.current(trx, workspaceId);
      return applyOnce(trx, workspaceId, idempotency, now, async () => {
        const lead = await reads.getLead(trx, workspaceId, id);
        const after = lead && (await patchLead(trx, compiled, lead, patch, actor, now));
        // A rep's edit brings no events: the shadow score follows the new attributes, stage and outcome.
        if (after && challenger) await refreshShadowScore(trx, challenger, after, [], now);
        return after;
      });
    });
  }

  mergeLeads(workspaceId: string, id: string, otherId: string, actor: Actor, now: number, idempotency?: Idempotency) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
      const { compiled, challenger } = await this.#models.current(trx, workspaceId);
      return applyOnce(trx, workspaceId, idempotency, now, async () => {
        const survivor = await reads.getLead(trx, workspaceId, id);
        const other = survivor && (await reads.getLead(trx, workspaceId, otherId));
        const merged = other && (await mergeLeads(trx, compiled, survivor, other, actor, now));
        if (merged && challenger) await refreshShadowScore(trx, challenger, merged, 'rebuild', now);
        return merged;
      });
    });
  }

  async importLeads(workspaceId: string, rows: ImportRow[], actor: Actor, now: number, options: { dryRun?: boolean } = {}) {
    try {
      return await this.sqlDialect.transaction(this.db, workspaceId, async (trx) => {
        const { compiled, challenger } = await this.#models.current(trx, workspaceId);
        const result = await importLeads(trx, this.importWriter(trx), compiled, workspaceId, rows, actor, now);
        if (challenger && !options.dryRun) await refreshShadowScoresWrittenAt(trx, challenger, workspaceId, now);
        // A dry run does every read and write, then rolls them back: its counts are exact.
        if (options.dryRun) throw new DryRunDone(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.result;
      throw error;
    }
  }

  exportLeads(workspaceId: string, pageSize = 1_000) {
    return exportLeads(this.db, workspaceId, pageSize);
  }

  async eraseLead(workspaceId: string, id: string, now = Date.now()) {
    const erased = await this.sqlDialect.transaction(this.db, workspaceId, async (trx) => eraseLead(trx, (await this.#models.current(trx, workspaceId)).compiled, workspaceId, id, now));
    if (erased) await this.afterErase();
    return erased;
  }

  accountLines(workspaceId: string, ids: readonly string[]) {
    return accounts.accountLines(this.db, workspaceId, ids);
  }

  getAccount(workspaceId: string, id: string) {
    return accounts.accountById(this.db, workspaceId, id);
  }

  findAccountByDomain(workspaceId: string, domain: string) {
    return accounts.accountByKey(this.db, workspaceId, `domain:${domain}`);
  }

  topAccounts(workspaceId: string, query: { tier?: string; limit: number }) {
    return accounts.topAccounts(this.db, workspaceId, query);
  }

  accountMembers(workspaceId: string, accountId: string, limit: number) {
    return accounts.accountMembers(this.db, workspaceId, accountId, limit);
  }

  importTargetAccounts(workspaceId: string, rows: readonly TargetAccountRow[], now: number) {
    return this.sqlDialect.transaction(this.db, workspaceId, async (trx) => importTargetAccounts(trx, (await this.#models.current(trx, workspaceId)).compiled, workspaceId, rows, now));
  }

  leadOutcomes(workspaceId: string, period: CreatedPeriod) {
    return leadOutcomes(this.db, workspaceId, period);
  }

  closedLeadsAsOf(workspaceId: string, period: CreatedPeriod, outcomeFrom?: number) {
    return closedLeadsAsOf(this.db, workspaceId, period, outcomeFrom);
  }

  countUndatedOutcomes(workspaceId: string, period: CreatedPeriod) {
    return countUndated(this.db, workspaceId, period);
  }

  async modelVersion(workspaceId: string, version: number) {
    const row = await this.db.selectFrom('models').select('body').where('workspace_id', '=', workspaceId).where('version', '=', version).executeTakeFirst();
    return row ? ScoringModel.parse(JSON.parse(row.body)) : undefined;
  }

  /** What a database needs after an erase so the erased text is gone from its files too (nothing by default). */
  protected async afterErase(): Promise<void> {}
}
