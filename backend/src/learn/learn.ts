import { createHash } from 'node:crypto';
import { aucWithInterval, aucFromCounts } from '../../../shared/evidence';
import {
  buildFeatureSpec,
  calibrate,
  calibrationByDecile,
  encode,
  fitLogistic,
  groupName,
  levelCount,
  levelOf,
  linearPredictor,
  logLoss,
  pointsRules,
  pointsScale,
  withThresholds,
  type EngagementSource,
  type FeatureSpec,
  type LearnLead,
  type LogisticFit,
  type SparseRow,
} from '../../../shared/learn';
import { absorbEvents, compileModel, conversionProbability, emptyAggregate, LearnRequest, ScoringModel, type CompiledModel, type LearnResponse } from '../../../shared/index';
import { DomainError, parseOrRefuse } from '../domain/errors';
import type { ClosedLead, Store } from '../store/store';
import { scoreAsOf } from '../reports/backtest';
import { ConversionTally } from '../reports/conversion-tally';

/** Einstein asks for 1,000 outcomes and 120 conversions; a points model with a handful of groups needs fewer. */
export const MIN_OUTCOMES = 200;
export const MIN_PER_CLASS = 40;
/** A single feature ranking the outcomes this well is more likely filled in after the sale than predictive. */
export const LEAKAGE_AUC = 0.95;
const LAMBDAS = [100, 30, 10, 3, 1, 0.3, 0.1];
const MIN_SHARE = 0.01;

interface Example {
  lead: ClosedLead;
  features: LearnLead;
  won: boolean;
}

/**
 * Learns a points model from the workspace's leads with dated outcomes, each as it stood at its
 * outcome (the backtest's leakage rules): a regularized logistic regression on binned attributes
 * and engagement steps, turned into whole points, calibrated, and reported on held-out leads
 * beside the current model, the rep rating and the unrounded regression.
 */
export async function learnModel(store: Store, workspaceId: string, input: unknown, now: number): Promise<LearnResponse> {
  const request = parseRequest(input);
  const { model: current, compiled } = await store.currentModel(workspaceId);
  const leads: ClosedLead[] = [];
  for await (const page of store.closedLeadsAsOf(workspaceId, { from: null, to: null })) leads.push(...page);
  enoughOutcomes(leads);

  const sources = engagementSources(current, leads);
  const counting = countingModel(current, sources);
  const examples: Example[] = leads.map((lead) => ({ lead, won: lead.outcome === 'won', features: { attributes: lead.attributes, counts: countsOf(counting, lead) } }));
  const isHoldout = holdoutRule(request);
  const train = examples.filter((e) => !isHoldout(e.lead));
  const holdout = examples.filter((e) => isHoldout(e.lead));
  if (train.length < MIN_OUTCOMES / 2 || holdout.length === 0) throw new DomainError('unprocessable', 'split_too_small', `the split leaves ${train.length} leads to learn from and ${holdout.length} to test on`);

  const spec = buildFeatureSpec(train.map((e) => e.features), sources, { minShare: MIN_SHARE, exclude: new Set(request.exclude) });
  const rows = train.map((e) => encode(spec, e.features));
  const y = Uint8Array.from(train, (e) => (e.won ? 1 : 0));
  const { fit, lambda } = fitWithChosenLambda(spec, train, rows, y, request.seed);

  const scale = pointsScale(rows.map((r) => linearPredictor(fit, r)));
  const rules = pointsRules(spec, fit, scale);
  // The rules alone decide the scores; thresholds come from the calibration those scores give.
  const draft = compileModel(withThresholds(rules, { intercept: 0, slope: 1 }, 0.5, [0], { name: 'draft', halfLifeDays: current.halfLifeDays }));
  const trainScores = train.map((e) => scoreAsOf(draft, e.lead));
  const calibration = calibrate(trainScores.map((s) => s.score), y);
  const baseRate = y.reduce((s, v) => s + v, 0) / y.length;
  const model = ScoringModel.parse(
    withThresholds(rules, calibration, baseRate, trainScores.map((s) => s.fit), { name: `Learned from ${train.length} outcomes (${new Date(now).toISOString().slice(0, 10)})`, halfLifeDays: current.halfLifeDays }),
  );

  return {
    model,
    report: {
      leads: { train: train.length, holdout: holdout.length, won: examples.filter((e) => e.won).length, lost: examples.filter((e) => !e.won).length },
      lambda,
      iterations: fit.iterations,
      features: spec.groups.map((g) => ({ name: groupName(spec, g), kind: g.kind, levels: levelCount(g) })),
      leakage: leakageFlags(spec, train),
      pointsPerLogOdds: scale.pointsPerLogOdds,
      holdout: holdoutReport(spec, fit, compiled, compileModel(model), holdout),
    },
  };
}

const parseRequest = (input: unknown) => parseOrRefuse(LearnRequest, input, 'invalid_learn_request');

function enoughOutcomes(leads: readonly ClosedLead[]): void {
  const won = leads.filter((l) => l.outcome === 'won').length;
  const lost = leads.length - won;
  if (leads.length < MIN_OUTCOMES || won < MIN_PER_CLASS || lost < MIN_PER_CLASS) {
    throw new DomainError(
      'unprocessable',
      'not_enough_outcomes',
      `learning needs at least ${MIN_OUTCOMES} leads with a dated outcome, ${MIN_PER_CLASS} won and ${MIN_PER_CLASS} lost; this workspace has ${leads.length} (${won} won, ${lost} lost)`,
    );
  }
}

/** What engagement is counted by: the current model's rules, and each event name at least 1% of leads have. */
function engagementSources(current: ScoringModel, leads: readonly ClosedLead[]): EngagementSource[] {
  const fromRules: EngagementSource[] = current.engagement.rules.map((r) => ({ id: r.id, label: r.label, event: r.event, ...(r.where ? { where: r.where } : {}) }));
  const leadsWith = new Map<string, number>();
  for (const lead of leads) for (const name of new Set(lead.events.map((e) => e.event))) leadsWith.set(name, (leadsWith.get(name) ?? 0) + 1);
  const names = [...leadsWith].filter(([, n]) => n >= MIN_SHARE * leads.length).map(([name]) => name).sort();
  return [...fromRules, ...names.map((name) => ({ id: `event-${name}`, label: name, event: name }))];
}

/** A model whose engagement rules are the sources, one point each: its aggregate counts each source's events. */
function countingModel(current: ScoringModel, sources: EngagementSource[]): CompiledModel {
  return compileModel({
    ...current,
    fit: { max: 100, rules: [] },
    engagement: { max: 100, rules: sources.map((s, i) => ({ id: `s${i}`, label: s.label, event: s.event, ...(s.where ? { where: s.where } : {}), points: 1 })) },
    stages: { MQL: [{ minScore: 50 }], SQL: [{ minScore: 80 }] },
  });
}

function countsOf(counting: CompiledModel, lead: ClosedLead): number[] {
  return absorbEvents(counting, emptyAggregate(counting), lead.events, lead.outcomeAt).rules.map((t) => t.n);
}

/** A seeded hash of the lead id decides its side, so the split never depends on read order. */
export function holdoutRule(request: ReturnType<typeof parseRequest>): (lead: ClosedLead) => boolean {
  if (request.splitDate) {
    const at = Date.parse(`${request.splitDate}T00:00:00Z`);
    return (lead) => lead.outcomeAt >= at;
  }
  return (lead) => hashShare(`${request.seed}:holdout:${lead.id}`) < request.holdout;
}

function hashShare(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** The L2 strength with the lowest log-loss on a fifth of the training leads, then the fit on all of them. */
function fitWithChosenLambda(spec: FeatureSpec, train: readonly Example[], rows: readonly SparseRow[], y: Uint8Array, seed: number): { fit: LogisticFit; lambda: number } {
  const validation = train.map((e) => hashShare(`${seed}:validation:${e.lead.id}`) < 0.2);
  const pick = <T>(xs: readonly T[], inValidation: boolean) => xs.filter((_, i) => validation[i] === inValidation);
  const fitRows = pick(rows, false);
  const fitY = Uint8Array.from(pick([...y], false));
  const validRows = pick(rows, true);
  const validY = Uint8Array.from(pick([...y], true));
  let best = { lambda: LAMBDAS[0]!, loss: Infinity, fit: undefined as LogisticFit | undefined };
  let warm: LogisticFit | undefined;
  for (const lambda of LAMBDAS) {
    warm = fitLogistic(fitRows, fitY, spec.columns, lambda, warm);
    const loss = validRows.length ? logLoss(warm, validRows, validY) : 0;
    if (loss < best.loss) best = { lambda, loss, fit: warm };
    // Along the path from strong to weak penalty the validation loss falls, then rises: past the minimum, stop.
    else if (loss > best.loss * 1.001) break;
  }
  return { fit: fitLogistic(rows, y, spec.columns, best.lambda, best.fit), lambda: best.lambda };
}

/** Each group alone, as the training conversion rate of the lead's level: an AUC above LEAKAGE_AUC is flagged. */
function leakageFlags(spec: FeatureSpec, train: readonly Example[]): { feature: string; auc: number }[] {
  const flags: { feature: string; auc: number }[] = [];
  for (const group of spec.groups) {
    const perLevel = Array.from({ length: levelCount(group) }, () => ({ won: 0, lost: 0 }));
    for (const e of train) {
      const counts = perLevel[levelOf(group, e.features)]!;
      if (e.won) counts.won++;
      else counts.lost++;
    }
    const auc = aucFromCounts(perLevel.map((c) => ({ score: c.won / Math.max(1, c.won + c.lost), won: c.won, lost: c.lost })));
    if (auc !== null && auc > LEAKAGE_AUC) flags.push({ feature: groupName(spec, group), auc });
  }
  return flags;
}

function holdoutReport(spec: FeatureSpec, fit: LogisticFit, current: CompiledModel, learned: CompiledModel, holdout: readonly Example[]): LearnResponse['report']['holdout'] {
  const won = holdout.map((e) => e.won);
  const interval = (scores: number[], outcomes: boolean[]) => aucWithInterval(scores, outcomes);
  const learnedScores = holdout.map((e) => scoreAsOf(learned, e.lead));
  const points = interval(learnedScores.map((s) => s.score), won);
  const regression = interval(holdout.map((e) => linearPredictor(fit, encode(spec, e.features))), won);
  const rated = holdout.filter((e) => typeof e.lead.attributes.rating === 'number');
  const rating = interval(rated.map((e) => e.lead.attributes.rating as number), rated.map((e) => e.won));
  const tally = new ConversionTally([]);
  learnedScores.forEach((s, i) => tally.add({ score: s.score, tier: s.tier, grade: s.grade, outcome: holdout[i]!.won ? 'won' : 'lost', accountTier: null, attributes: {} }));
  const calibration = learned.model.calibration!;
  return {
    current: interval(holdout.map((e) => scoreAsOf(current, e.lead).score), won),
    rating: rating ? { ...rating, leads: rated.length } : null,
    points,
    regression,
    roundingCost: points && regression ? regression.auc - points.auc : null,
    byTier: tally.result(learned.model.tiers.map((t) => t.name)).byTier,
    calibration: calibrationByDecile(learnedScores.map((s) => conversionProbability(calibration, s.score)), won),
  };
}

