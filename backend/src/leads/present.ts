import {
  conversionProbability,
  isAggregateCurrent,
  scoreAggregate,
  topReasons,
  type CompiledModel,
  type LeadAccount,
  type LeadDetail,
  type LeadSummary,
  type ScoreResult,
} from '../../../shared/index';
import { leadInput, type LeadRecord } from '../domain/lead-record';
import type { StageChangeRecord, StoredEvent } from '../store/store';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The lead scored at `now`: decay is applied at the moment of reading, from the aggregate.
 * While a model change is still being rolled out to this lead, its stored score stands.
 */
export function scoreNow(lead: LeadRecord, compiled: CompiledModel, now: number): ScoreResult | undefined {
  return isAggregateCurrent(compiled, lead.aggregate) ? scoreAggregate(compiled, leadInput(lead), lead.aggregate, now) : undefined;
}

/**
 * `result` (from scoreNow) is the score by `compiled`, the current model; without it, the lead's
 * stored score stands, labelled with the older model version it is from (a model change whose
 * rescore has not reached the lead yet): every field of a summary comes from one version.
 */
function toSummary(lead: LeadRecord, result: ScoreResult | undefined, compiled: CompiledModel, now: number, accounts: Accounts): LeadSummary {
  const account = lead.accountId ? accounts.get(lead.accountId) : undefined;
  return {
    id: lead.id,
    email: lead.email,
    name: lead.name,
    linkedinUrl: lead.linkedinUrl,
    score: result?.score ?? lead.score,
    fit: result?.fit ?? lead.fit,
    engagement: result?.engagement ?? lead.engagement,
    grade: (result?.grade ?? lead.grade) as LeadSummary['grade'],
    tier: result?.tier ?? lead.tier,
    stage: result?.stage ?? lead.stage,
    milestones: (result?.milestones ?? []).map((m) => ({ ruleId: m.ruleId, label: m.label, at: iso(m.at) })),
    reasons: result ? topReasons(result.breakdown, 5) : [],
    scoredAt: iso(result ? now : lead.scoredAt),
    modelVersion: result ? compiled.version : lead.modelVersion,
    // Only for a score from the current model: a stored score from an older version has its own calibration, or none.
    probability: result && compiled.model.calibration ? conversionProbability(compiled.model.calibration, result.score) : null,
    account: account ?? null,
  };
}

/** The account lines of the leads being presented, by account id (Store.lookUpLeads, Store.accountLines). */
export type Accounts = ReadonlyMap<string, LeadAccount>;

export function summarize(lead: LeadRecord, compiled: CompiledModel, now: number, accounts: Accounts): LeadSummary {
  return toSummary(lead, scoreNow(lead, compiled, now), compiled, now, accounts);
}

export function toDetail(
  lead: LeadRecord,
  compiled: CompiledModel,
  now: number,
  stageHistory: StageChangeRecord[],
  timeline: { events: StoredEvent[]; nextCursor: string | null },
  accounts: Accounts,
): LeadDetail {
  const result = scoreNow(lead, compiled, now);
  return {
    ...toSummary(lead, result, compiled, now, accounts),
    attributes: Object.entries(lead.attributes).map(([key, a]) => ({ key, value: a.value, setBy: a.setBy, setAt: iso(a.setAt) })),
    breakdown: result?.breakdown ?? [],
    stageHistory: stageHistory.map((s) => ({ from: s.from, to: s.to, at: iso(s.at), reason: s.reason })),
    outcome: lead.outcome,
    timeline: {
      events: timeline.events.map((e) => ({ id: e.id, type: e.type, event: e.name, properties: e.properties, at: iso(e.at) })),
      nextCursor: timeline.nextCursor,
    },
  };
}
