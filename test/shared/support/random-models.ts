import { ScoringModel, type AttributePredicate, type EngagementRule, type FitRule, type LeadAttributes, type ScorableEvent } from '../../../shared/index';
import { DAY, NOW } from './models';

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (rand: Rand, p: number) => rand() < p;
const int = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
/** Whole or 2-decimal points between -20 and 30. */
const points = (rand: Rand) => {
  const x = rand() * 50 - 20;
  return chance(rand, 0.5) ? Math.round(x) : Math.round(x * 100) / 100;
};

const NAMES = ['Page Viewed', 'Email Opened', 'Webinar Attended', 'Form Submitted', 'Demo Requested'];
const PATHS = ['/', '/pricing', '/pricing/', '/pricing-enterprise', '/blog/a/b', '/careers/42', '/docs'];

function engagementRule(rand: Rand, i: number): EngagementRule {
  const rule: EngagementRule = { id: `e${i}`, label: `Engagement ${i}`, event: chance(rand, 0.7) ? pick(rand, NAMES) : [pick(rand, NAMES), pick(rand, NAMES)], points: points(rand) };
  if (chance(rand, 0.4)) rule.where = [{ prop: 'path', op: 'glob', pattern: pick(rand, ['/pricing*', '/blog/**', '/{careers,jobs}/**', '/*']) }];
  if (chance(rand, 0.5)) rule.maxCount = int(rand, 1, 6);
  if (chance(rand, 0.3)) rule.maxPoints = int(rand, 1, 40);
  if (chance(rand, 0.3)) rule.halfLifeDays = pick(rand, [0, 0.5, 3, 60]);
  if (chance(rand, 0.4)) rule.milestone = true;
  return rule;
}

function fitRule(rand: Rand, i: number): FitRule {
  const when = pick<AttributePredicate>(rand, [
    { attr: 'industry', op: 'in', values: ['software', 'fintech'] },
    { attr: 'companySize', op: 'between', min: 10, max: 1000 },
    { attr: 'rating', op: 'gte', value: 6 },
    { attr: 'budget', op: 'eq', value: true },
    { attr: 'jobTitle', op: 'matches', pattern: 'vp|chief' },
    { attr: 'emailDomainType', op: 'exists' },
  ]);
  return { id: `f${i}`, label: `Fit ${i}`, when: [when], points: points(rand) };
}

/** A random valid model: rules with and without maxCount, caps, per-rule half-lives, milestones, negative points. */
export function randomModel(rand: Rand): ScoringModel {
  const engagement = Array.from({ length: int(rand, 1, 8) }, (_, i) => engagementRule(rand, i));
  const milestone = engagement.find((r) => r.milestone);
  return ScoringModel.parse({
    version: int(rand, 1, 9),
    name: 'random',
    halfLifeDays: pick(rand, [1, 7, 30, 90]),
    fit: { max: int(rand, 10, 60), rules: Array.from({ length: int(rand, 0, 5) }, (_, i) => fitRule(rand, i)) },
    engagement: { max: int(rand, 10, 80), rules: engagement },
    grades: [
      { grade: 'A', minFit: 30 },
      { grade: 'B', minFit: 15 },
    ],
    tiers: [
      { name: 'Hot', min: 70 },
      { name: 'Warm', min: 40 },
      { name: 'Cold', min: 0 },
    ],
    stages: { MQL: [{ minScore: int(rand, 10, 60) }], SQL: [milestone ? { milestone: milestone.id } : { minScore: 90 }] },
  });
}

export function randomAttributes(rand: Rand): LeadAttributes {
  const attrs: LeadAttributes = {};
  if (chance(rand, 0.5)) attrs.industry = pick(rand, ['Software', 'Retail', 'FinTech']);
  if (chance(rand, 0.5)) attrs.companySize = int(rand, 1, 5000);
  if (chance(rand, 0.5)) attrs.rating = int(rand, 0, 10);
  if (chance(rand, 0.5)) attrs.budget = chance(rand, 0.5);
  if (chance(rand, 0.5)) attrs.jobTitle = pick(rand, ['VP Sales', 'Engineer', 'Chief of Staff']);
  if (chance(rand, 0.5)) attrs.emailDomainType = pick(rand, ['business', 'free', 'disposable'] as const);
  return attrs;
}

/** Up to 300 events over the last 400 days (some a few days in the future), in time order or not. */
export function randomEvents(rand: Rand, max = 300): ScorableEvent[] {
  const events = Array.from({ length: int(rand, 0, max) }, (): ScorableEvent => {
    const event = chance(rand, 0.9) ? pick(rand, NAMES) : 'Unscored Event';
    const at = Math.round(NOW - (rand() * 405 - 5) * DAY);
    return event === 'Page Viewed' ? { event, at, properties: { path: pick(rand, PATHS) } } : { event, at };
  });
  return chance(rand, 0.5) ? events.sort((a, b) => a.at - b.at) : events;
}

/** Splits a list into random consecutive chunks (some empty). */
export function randomChunks<T>(rand: Rand, xs: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let i = 0;
  while (i < xs.length) {
    const n = int(rand, 0, 40);
    chunks.push(xs.slice(i, i + n));
    i += n;
  }
  return chunks;
}

export function shuffled<T>(rand: Rand, xs: readonly T[]): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
