import type { ScoringModel } from '../schemas/model';
import { toCompiled, type CompiledEngagementRule, type CompiledModel } from './compile';
import { decayFactor } from './numbers';
import type { LeadAggregate, RuleTally, ScorableEvent } from './types';

/** Thrown when an aggregate was built for a model whose event matching or decay differs. */
export class StaleAggregateError extends Error {
  constructor(agg: LeadAggregate, compiled: CompiledModel) {
    super(`aggregate ${agg.fingerprint} (model v${agg.modelVersion}) does not fit model v${compiled.version} (${compiled.fingerprint}); rebuild it from the lead's events`);
    this.name = 'StaleAggregateError';
  }
}

export function emptyAggregate(model: ScoringModel | CompiledModel): LeadAggregate {
  const compiled = toCompiled(model);
  return {
    format: 1,
    modelVersion: compiled.version,
    fingerprint: compiled.fingerprint,
    rules: compiled.engagementRules.map((r) => (r.maxCount ? { n: 0, at: 0, sum: 0, recent: [] } : { n: 0, at: 0, sum: 0 })),
  };
}

/** True when the aggregate can be absorbed into and scored with this model. */
export function isAggregateCurrent(model: ScoringModel | CompiledModel, agg: LeadAggregate): boolean {
  const compiled = toCompiled(model);
  return agg.format === 1 && agg.fingerprint === compiled.fingerprint && agg.rules.length === compiled.engagementRules.length;
}

export function assertCurrent(compiled: CompiledModel, agg: LeadAggregate): void {
  if (!isAggregateCurrent(compiled, agg)) throw new StaleAggregateError(agg, compiled);
}

/**
 * Returns a new aggregate that also counts `events`; `agg` is not changed and old events are
 * never reread. Events are absorbed one by one in the order given, so absorbing a history in any
 * split into chunks gives the same aggregate, bit for bit. `now`, when given, is the moment of
 * absorbing: an event dated later (a skewed clock) counts as happening at that moment.
 * Events whose time is not a finite number are ignored.
 */
export function absorbEvents(model: ScoringModel | CompiledModel, agg: LeadAggregate, events: readonly ScorableEvent[], now?: number): LeadAggregate {
  const compiled = toCompiled(model);
  assertCurrent(compiled, agg);
  const next: LeadAggregate = {
    format: 1,
    modelVersion: compiled.version,
    fingerprint: compiled.fingerprint,
    rules: agg.rules.map((t) => (t.recent ? { n: t.n, at: t.at, sum: t.sum, recent: t.recent.slice() } : { n: t.n, at: t.at, sum: t.sum })),
  };
  absorbInto(compiled, next.rules, events, now ?? Infinity);
  return next;
}

/** Mutates `tallies`; only for aggregates this module just created. */
export function absorbInto(compiled: CompiledModel, tallies: RuleTally[], events: readonly ScorableEvent[], now: number): void {
  const byEvent = compiled.rulesByEvent;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const rules = byEvent.get(e.event);
    if (rules === undefined) continue;
    let t = e.at;
    if (!Number.isFinite(t)) continue;
    if (t > now) t = now;
    for (let j = 0; j < rules.length; j++) {
      const rule = rules[j]!;
      if (rule.where !== null && !rule.where(e.properties)) continue;
      const tally = tallies[rule.index]!;
      if (rule.maxCount) keepRecent(tally, rule, t);
      else addDecayed(tally, rule, t);
    }
  }
}

/** sum is relative to the newest occurrence: an older one adds less than 1, a newer one moves the anchor. */
function addDecayed(tally: RuleTally, rule: CompiledEngagementRule, t: number): void {
  if (tally.n === 0) {
    tally.at = t;
    tally.sum = 1;
  } else if (t > tally.at) {
    tally.sum = tally.sum * decayFactor(t - tally.at, rule.halfLifeMs) + 1;
    tally.at = t;
  } else {
    tally.sum += decayFactor(tally.at - t, rule.halfLifeMs);
  }
  tally.n++;
}

/** Keeps the newest maxCount times, sorted oldest first; which ones survive does not depend on arrival order. */
function keepRecent(tally: RuleTally, rule: CompiledEngagementRule, t: number): void {
  const recent = tally.recent!;
  if (tally.n === 0 || t > tally.at) tally.at = t;
  tally.n++;
  if (recent.length === rule.maxCount) {
    if (t <= recent[0]!) return;
    recent.shift();
  }
  let k = recent.length;
  recent.push(t);
  while (k > 0 && recent[k - 1]! > t) {
    recent[k] = recent[k - 1]!;
    k--;
  }
  recent[k] = t;
}
