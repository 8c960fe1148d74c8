import { compareAucs, aucFromCounts, conversionRate } from '../../../shared/evidence';
import { BacktestRequest, compileModel, scoreLead, type BacktestModelResult, type BacktestReport, type CompiledModel, type ScoringModel } from '../../../shared/index';
import { DomainError, parseOrRefuse } from '../domain/errors';
import type { ClosedLead, Store } from '../store/store';
import { ConversionTally } from './conversion-tally';
import { createdPeriod } from './report-period';

export interface ModelUnderTest {
  label: string;
  version: number | null;
  model: ScoringModel;
  compiled: CompiledModel;
}

/**
 * Scores every lead that has a dated outcome under one or two models, as of its outcome date
 * (ClosedLead holds only what was known then), and reports each model's AUC and conversion by
 * tier, the paired AUC difference, the tier moves between them, and the rep rating as a model.
 */
export async function backtest(store: Store, workspaceId: string, input: unknown, now: number): Promise<BacktestReport> {
  const request = parseOrRefuse(BacktestRequest, input, 'invalid_backtest');
  const period = createdPeriod(request.from, request.to);
  const models = [await resolveModel(store, workspaceId, request.model)];
  if (request.vs !== undefined) models.push(await resolveModel(store, workspaceId, request.vs));

  const compared = await compareModels(models, store.closedLeadsAsOf(workspaceId, period));
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    period: { from: iso(period.from), to: iso(period.to) },
    ...compared,
    undated: await store.countUndatedOutcomes(workspaceId, period),
    generatedAt: new Date(now).toISOString(),
  };
}

/** What a backtest finds about one or two models on a set of closed leads. */
export type ModelsCompared = Pick<BacktestReport, 'leads' | 'overall' | 'models' | 'comparison' | 'rating'>;

/**
 * Scores every closed lead of `pages` under each model as of its outcome date, and tallies each
 * model's AUC and conversion by tier and decile, the paired comparison (two models), and the rep
 * rating as a model. The backtest and the challenger report both rest on it.
 */
export async function compareModels(models: ModelUnderTest[], pages: AsyncIterable<ClosedLead[]>): Promise<ModelsCompared> {
  const tallies = models.map(() => new ConversionTally([]));
  const scores: number[][] = models.map(() => []);
  const tiers: string[][] = models.map(() => []);
  const won: boolean[] = [];
  const rating = new Map<number, { score: number; won: number; lost: number }>();
  for await (const page of pages) {
    for (const lead of page) {
      won.push(lead.outcome === 'won');
      models.forEach((m, i) => {
        const result = scoreAsOf(m.compiled, lead);
        tallies[i]!.add({ score: result.score, tier: result.tier, grade: result.grade, outcome: lead.outcome, accountTier: null, attributes: {} });
        scores[i]!.push(result.score);
        tiers[i]!.push(result.tier);
      });
      countRating(rating, lead);
    }
  }

  const results = models.map((m, i): BacktestModelResult => {
    const r = tallies[i]!.result(m.model.tiers.map((t) => t.name));
    return { label: m.label, version: m.version, auc: r.auc, byTier: r.byTier, byDecile: r.byDecile };
  });
  const wonCount = won.filter(Boolean).length;
  return {
    leads: won.length,
    overall: conversionRate(wonCount, won.length - wonCount),
    models: results,
    comparison: models.length === 2 ? comparison(scores, tiers, won) : null,
    rating: { leads: [...rating.values()].reduce((n, c) => n + c.won + c.lost, 0), auc: aucFromCounts(rating.values()) },
  };
}

/** The lead's score at its outcome date, as a Prospect with no outcome (the outcome is what is predicted). */
export function scoreAsOf(compiled: CompiledModel, lead: ClosedLead) {
  return scoreLead(compiled, { email: lead.email, attributes: lead.attributes, stage: 'Prospect', outcome: null }, lead.events, lead.outcomeAt);
}

function countRating(counts: Map<number, { score: number; won: number; lost: number }>, lead: ClosedLead): void {
  const value = lead.attributes.rating;
  if (typeof value !== 'number') return;
  let c = counts.get(value);
  if (!c) counts.set(value, (c = { score: value, won: 0, lost: 0 }));
  if (lead.outcome === 'won') c.won++;
  else c.lost++;
}

function comparison(scores: number[][], tiers: string[][], won: boolean[]): BacktestReport['comparison'] {
  const paired = compareAucs(scores[0]!, scores[1]!, won);
  const moves = new Map<string, { from: string; to: string; leads: number }>();
  tiers[0]!.forEach((from, i) => {
    const to = tiers[1]![i]!;
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    const move = moves.get(key) ?? { from, to, leads: 0 };
    move.leads++;
    moves.set(key, move);
  });
  const list = [...moves.values()].sort((a, b) => b.leads - a.leads);
  return {
    difference: paired?.difference ?? 0,
    low: paired?.low ?? 0,
    high: paired?.high ?? 0,
    tierChanges: list.reduce((n, m) => n + m.leads, 0),
    moves: list,
  };
}

async function resolveModel(store: Store, workspaceId: string, ref: BacktestRequest['model']): Promise<ModelUnderTest> {
  if (ref === 'current') {
    const { model, compiled } = await store.currentModel(workspaceId);
    return { label: 'current', version: model.version, model, compiled };
  }
  if (!('tiers' in ref)) {
    const model = await store.modelVersion(workspaceId, ref.version);
    if (!model) throw new DomainError('not_found', 'model_version_not_found', `the workspace has no model version ${ref.version}`);
    return { label: `version ${model.version}`, version: model.version, model, compiled: compileModel(model) };
  }
  return { label: ref.name, version: null, model: ref, compiled: compileModel(ref) };
}
