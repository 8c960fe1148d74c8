// Modules rather than the shared barrel: a rescore worker loads only what it runs.
import { isAggregateCurrent } from '../../../../shared/scoring/aggregate';
import type { CompiledModel } from '../../../../shared/scoring/compile';
import { scoreAggregate } from '../../../../shared/scoring/score';
import type { LeadAggregate, Outcome, Stage } from '../../../../shared/index';
import { AggregateBuilder, eventPlan, type EventPlan } from './event-plan';
import { leadInput, storedScore, type AttributeValue, type StoredScore } from '../../domain/lead-record';

/** The leads of a workspace with ids above `after` and up to `until`; null is open. */
export interface LeadRange {
  workspaceId: string;
  after: string | null;
  until: string | null;
  /** Only the leads whose stored score is from a model version below this (what a resumed job has left); absent: every lead. */
  below?: number;
}

/** What a lead's score depends on, as stored. */
export interface StoredLead<G> {
  id: string;
  email: string | null;
  /** JSON, as stored. */
  attributes: string;
  stage: Stage;
  outcome: Outcome | null;
  /** JSON, as stored; null when the source can tell without parsing that it is not built for the model. */
  aggregate: string | null;
  /** Identifies these stored values; the write applies only while the row still matches it. */
  guard: G;
}

/** A lead's new score columns, computed outside any transaction from a StoredLead. */
export interface RescoredLead<G> extends StoredScore {
  id: string;
  guard: G;
  /** The rebuilt aggregate's JSON; null when the stored one was built for the model and stays. */
  aggregate: string | null;
  from: Stage;
  stageReason: string;
}

export interface RescoreBatch<G> {
  scored: RescoredLead<G>[];
  /** Leads whose stored aggregate is stale but was not rebuilt here (it went stale after the check for a pass). */
  unscored: string[];
}

/** Where a rescore reads from, outside any transaction (see rescoreRange). */
export interface RescoreSource<G> {
  /** Whether any of the range's leads has a stored aggregate that does not name this model fingerprint. */
  anyStale(range: LeadRange, fingerprint: string): Promise<boolean>;
  /** The workspace's events with the names the plan counts, in storage order, as JSON chunks (see EventPlan). */
  eventChunks(workspaceId: string, plan: EventPlan): AsyncIterable<string>;
  /** The range's leads, a page at a time, in any order. */
  leads(range: LeadRange, fingerprint: string): AsyncIterable<StoredLead<G>[]>;
}

/**
 * Rescores a range of leads from reads outside any transaction, so ingest keeps flowing. When
 * an aggregate is stale, the range's aggregates are rebuilt from one pass over the events of its
 * leads (storage order, sequential reads): the source's, or `events` when given (null: no
 * pass). Then the leads are read and scored a page at a time, each with its stored aggregate when
 * that was built for the model (ingest rebuilt it meanwhile, or it was never stale), else with
 * the rebuilt one. A lead that changes after being read is caught by its guard when written.
 */
export async function* rescoreRange<G>(
  source: RescoreSource<G>,
  compiled: CompiledModel,
  range: LeadRange,
  now: number,
  events?: AsyncIterable<string> | null,
): AsyncGenerator<RescoreBatch<G>> {
  const plan = eventPlan(compiled);
  const chunks = events !== undefined ? events : await eventPass(source, compiled, range, plan);
  const rebuilt = new AggregateBuilder(compiled, plan, now);
  for await (const chunk of chunks ?? []) rebuilt.absorb(chunk);
  for await (const page of source.leads(range, compiled.fingerprint)) {
    const batch: RescoreBatch<G> = { scored: [], unscored: [] };
    for (const lead of page) {
      // Without a pass (nothing was stale when it would have started), a stale aggregate has no replacement here.
      const rescored = rescoreStored(compiled, lead, chunks ? rebuilt.get(lead.id) : undefined, now);
      if (rescored) batch.scored.push(rescored);
      else batch.unscored.push(lead.id);
    }
    yield batch;
  }
}

/** The source's events for a pass when an aggregate of the range is stale (none when the model counts no events); null: no pass. */
async function eventPass<G>(source: RescoreSource<G>, compiled: CompiledModel, range: LeadRange, plan: EventPlan): Promise<AsyncIterable<string> | string[] | null> {
  if (!(await source.anyStale(range, compiled.fingerprint))) return null;
  return plan.names.length > 0 ? source.eventChunks(range.workspaceId, plan) : [];
}

/** The text an aggregate built for the model contains (looking for it saves parsing every aggregate). */
export function fingerprintNeedle(fingerprint: string): string {
  return JSON.stringify({ fingerprint }).slice(1, -1);
}

/** The lead scored with its stored aggregate when that is built for the model, else with `rebuilt`; undefined without either. */
function rescoreStored<G>(compiled: CompiledModel, lead: StoredLead<G>, rebuilt: LeadAggregate | undefined, now: number): RescoredLead<G> | undefined {
  const stored = lead.aggregate === null ? undefined : (JSON.parse(lead.aggregate) as LeadAggregate);
  const reused = stored !== undefined && isAggregateCurrent(compiled, stored);
  const agg = reused ? stored : rebuilt;
  if (!agg) return undefined;
  const attributes = JSON.parse(lead.attributes) as Record<string, AttributeValue>;
  const result = scoreAggregate(compiled, leadInput({ ...lead, attributes }), agg, now);
  return { id: lead.id, guard: lead.guard, aggregate: reused ? null : JSON.stringify(agg), from: lead.stage, stageReason: result.stageReason, ...storedScore(result) };
}
