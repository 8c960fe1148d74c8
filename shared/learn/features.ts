import type { EngagementRule, PropertyPredicate } from '../schemas/model';
import type { SparseRow } from './logistic';

type Scalar = string | number | boolean;

/** One lead as learning sees it: attribute values and, per engagement source, how many events matched. */
export interface LearnLead {
  attributes: Record<string, unknown>;
  counts: readonly number[];
}

/** What engagement is counted by: a rule of the current model, or every event of one name. */
export interface EngagementSource {
  id: string;
  label: string;
  event: EngagementRule['event'];
  where?: PropertyPredicate[];
}

/**
 * One feature group: every lead falls in exactly one of its levels (one column each), so the
 * group's effect is the fitted weight of the lead's level. Levels: missing, then for a
 * categorical attribute each value with enough support and "other", for a numeric attribute one
 * bin per quantile cut (values at or above cut k are in bin k+1), for engagement one step per
 * count threshold (at least k events).
 */
export type FeatureGroup =
  | { kind: 'categorical'; key: string; values: Scalar[]; other: boolean; column: number }
  | { kind: 'numeric'; key: string; cuts: number[]; column: number }
  | { kind: 'engagement'; source: number; steps: number[]; column: number };

export interface FeatureSpec {
  groups: FeatureGroup[];
  sources: EngagementSource[];
  columns: number;
}

export interface FeatureOptions {
  /** A level needs at least this share of leads to get its own column (rare ones are pooled). */
  minShare: number;
  /** Attribute keys never used (likely leakage, or not wanted). */
  exclude: ReadonlySet<string>;
}

const QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const ENGAGEMENT_STEPS = [1, 2, 3, 5, 10];
const levelKey = (v: unknown) => JSON.stringify(v);

/** Decides the groups and their levels from the training leads (never from held-out ones). */
export function buildFeatureSpec(leads: readonly LearnLead[], sources: EngagementSource[], options: FeatureOptions): FeatureSpec {
  const minCount = Math.max(5, Math.ceil(options.minShare * leads.length));
  const groups: FeatureGroup[] = [];
  let column = 0;
  const keys = [...new Set(leads.flatMap((l) => Object.keys(l.attributes)))].filter((k) => !options.exclude.has(k)).sort();
  for (const key of keys) {
    const present = leads.map((l) => l.attributes[key]).filter((v): v is Scalar => v !== undefined && v !== null && v !== '');
    if (present.length < minCount) continue;
    if (present.every((v) => typeof v === 'number')) {
      const sorted = (present as number[]).slice().sort((a, b) => a - b);
      const cuts = [...new Set(QUANTILES.map((q) => sorted[Math.floor(q * sorted.length)]!))].filter((c) => c > sorted[0]!);
      groups.push({ kind: 'numeric', key, cuts, column });
      column += cuts.length + 2;
    } else {
      const counts = new Map<string, { value: Scalar; n: number }>();
      for (const v of present) {
        const entry = counts.get(levelKey(v)) ?? { value: v, n: 0 };
        entry.n++;
        counts.set(levelKey(v), entry);
      }
      const values = [...counts.values()].filter((c) => c.n >= minCount).sort((a, b) => b.n - a.n || levelKey(a.value).localeCompare(levelKey(b.value))).map((c) => c.value);
      const other = values.length < counts.size;
      groups.push({ kind: 'categorical', key, values, other, column });
      column += values.length + 1 + (other ? 1 : 0);
    }
  }
  sources.forEach((_, source) => {
    const steps = ENGAGEMENT_STEPS.filter((k) => leads.filter((l) => l.counts[source]! >= k).length >= minCount);
    if (steps.length === 0) return;
    groups.push({ kind: 'engagement', source, steps, column });
    column += steps.length;
  });
  return { groups, sources, columns: column };
}

/** The level (0-based within the group) a lead falls in; engagement: how many steps it reached. */
export function levelOf(group: FeatureGroup, lead: LearnLead): number {
  if (group.kind === 'engagement') return group.steps.filter((k) => lead.counts[group.source]! >= k).length;
  const value = lead.attributes[group.key];
  if (value === undefined || value === null || value === '') return 0;
  if (group.kind === 'numeric') {
    if (typeof value !== 'number') return 0;
    return 1 + group.cuts.filter((c) => value >= c).length;
  }
  const i = valueIndex(group).get(levelKey(value));
  return i !== undefined ? 1 + i : group.other ? 1 + group.values.length : 0;
}

const indexes = new WeakMap<FeatureGroup, Map<string, number>>();

/** A categorical group's values by key, built once per group (groups are plain data, so kept aside). */
function valueIndex(group: Extract<FeatureGroup, { kind: 'categorical' }>): Map<string, number> {
  let index = indexes.get(group);
  if (!index) indexes.set(group, (index = new Map(group.values.map((v, i) => [levelKey(v), i]))));
  return index;
}

/**
 * A lead's row: one column per group for its level. Attribute groups have a column for every
 * level, missing included; engagement groups one per step reached (none: no column), so a step's
 * weight is what reaching it adds.
 */
export function encode(spec: FeatureSpec, lead: LearnLead): SparseRow {
  const indices: number[] = [];
  for (const group of spec.groups) {
    const level = levelOf(group, lead);
    if (group.kind === 'engagement') for (let s = 0; s < level; s++) indices.push(group.column + s);
    else indices.push(group.column + level);
  }
  return { indices: Int32Array.from(indices), values: new Float64Array(indices.length).fill(1) };
}

/** How many levels a group has (its columns, except engagement's "none", which has no column). */
export function levelCount(group: FeatureGroup): number {
  if (group.kind === 'engagement') return group.steps.length + 1;
  if (group.kind === 'numeric') return group.cuts.length + 2;
  return group.values.length + 1 + (group.other ? 1 : 0);
}

/** A group's name in reports: the attribute key, or the engagement source's label. */
export function groupName(spec: FeatureSpec, group: FeatureGroup): string {
  return group.kind === 'engagement' ? spec.sources[group.source]!.label : group.key;
}
