import { aucFromCounts, conversionRate, decilesOf, lift } from '../../../shared/evidence';
import { NO_ACCOUNT_VALUE, type ConversionReport, type DecileGroup, type ReportGroup } from '../../../shared/index';
import type { LeadOutcomeRow } from '../store/store';
import { count, emptyCounts, GroupCounts, type Counts } from './group-counts';

const GRADE_ORDER = ['A', 'B', 'C', 'D'];

/**
 * Folds leads, one at a time, into the counts a conversion report is made of. Memory is bounded
 * by the groups, not the leads: counts per tier, account tier, grade, source and attribute value, and per
 * distinct score (scores have two decimals on 0..100, so at most 10,001), which is all the AUC
 * and the deciles need.
 */
export class ConversionTally {
  readonly #overall = emptyCounts();
  readonly #byScore = new Map<number, Counts>();
  readonly #byTier = new GroupCounts();
  readonly #byAccountTier = new GroupCounts();
  readonly #byGrade = new GroupCounts();
  readonly #bySource = new GroupCounts();
  readonly #byAttribute: Map<string, GroupCounts>;

  constructor(readonly attributeKeys: readonly string[]) {
    this.#byAttribute = new Map(attributeKeys.map((key) => [key, new GroupCounts()]));
  }

  add(lead: LeadOutcomeRow): void {
    count(this.#overall, lead.outcome);
    let scoreCounts = this.#byScore.get(lead.score);
    if (!scoreCounts) this.#byScore.set(lead.score, (scoreCounts = emptyCounts()));
    count(scoreCounts, lead.outcome);
    this.#byTier.add(lead.tier, lead.outcome);
    this.#byAccountTier.add(lead.accountTier ?? NO_ACCOUNT_VALUE, lead.outcome);
    this.#byGrade.add(lead.grade, lead.outcome);
    this.#bySource.add(lead.attributes.source, lead.outcome);
    for (const [key, groups] of this.#byAttribute) groups.add(lead.attributes[key], lead.outcome);
  }

  /**
   * The report's figures; tiers are listed in `tierOrder` (the model's, highest first), unknown
   * names after; account tiers likewise in `accountTierOrder`, leads in no account last.
   */
  result(tierOrder: readonly string[], accountTierOrder: readonly string[] = []): Omit<ConversionReport, 'period' | 'generatedAt'> {
    const overall = conversionRate(this.#overall.won, this.#overall.lost);
    const group = ([value, c]: [string, Counts]): ReportGroup => ({ value, ...conversionRate(c.won, c.lost), open: c.open, lift: lift(c.won + c.lost ? c.won / (c.won + c.lost) : null, overall.rate) });
    const byOrder = (order: readonly string[]) => (a: ReportGroup, b: ReportGroup) => rank(order, a.value) - rank(order, b.value) || a.value.localeCompare(b.value);
    const bySize = (a: ReportGroup, b: ReportGroup) => b.n + b.open - (a.n + a.open) || a.value.localeCompare(b.value);
    const scores = [...this.#byScore.entries()];
    return {
      leads: this.#overall.won + this.#overall.lost + this.#overall.open,
      open: this.#overall.open,
      overall,
      auc: aucFromCounts(scores.map(([score, c]) => ({ score, won: c.won, lost: c.lost }))),
      byTier: this.#byTier.entries().map(group).sort(byOrder(tierOrder)),
      byAccountTier: this.#byAccountTier
        .entries()
        .map(group)
        .sort((a, b) => Number(a.value === NO_ACCOUNT_VALUE) - Number(b.value === NO_ACCOUNT_VALUE) || byOrder(accountTierOrder)(a, b)),
      byGrade: this.#byGrade.entries().map(group).sort(byOrder(GRADE_ORDER)),
      byDecile: this.#deciles(scores, group),
      bySource: this.#bySource.entries().map(group).sort(bySize),
      byAttribute: Object.fromEntries([...this.#byAttribute].map(([key, groups]) => [key, groups.entries().map(group).sort(bySize)])),
    };
  }

  #deciles(scores: [number, Counts][], group: (entry: [string, Counts]) => ReportGroup): DecileGroup[] {
    if (scores.length === 0) return [];
    const { decileOf, bands } = decilesOf(scores.map(([score, c]) => ({ score, count: c.won + c.lost + c.open })));
    const perDecile = new Map(bands.map((band) => [band.decile, emptyCounts()]));
    for (const [score, c] of scores) {
      const sum = perDecile.get(decileOf(score))!;
      (sum.won += c.won), (sum.lost += c.lost), (sum.open += c.open);
    }
    return bands.map((band) => ({ ...group([String(band.decile), perDecile.get(band.decile)!]), ...band }));
  }
}

const rank = (order: readonly string[], value: string) => {
  const i = order.indexOf(value);
  return i === -1 ? order.length : i;
};
