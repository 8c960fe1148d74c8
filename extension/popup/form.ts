import { ProductFit, Seniority, TAGGABLE_ATTRIBUTES, type LeadAttributes, type LeadDetail, type LeadPatch, type LeadSummary, type ScoringModel } from '../../shared';

/** The tagging form's fields as the inputs hold them; '' means "not set". */
export interface TagValues {
  company: string;
  industry: string;
  seniority: string;
  companySize: string;
  budget: '' | 'yes' | 'no';
  decisionMaker: '' | 'yes' | 'no';
  productFit: string;
  rating: string;
}

export const SENIORITIES = Seniority.options;
export const PRODUCT_FITS = ProductFit.options;

type Taggable = (typeof TAGGABLE_ATTRIBUTES)[number];
type Value = string | number | boolean;

const yesNo = (v: Value | undefined): '' | 'yes' | 'no' => (v === true ? 'yes' : v === false ? 'no' : '');

/** All of a lead's current attributes (the form's fields and everything else, such as emailDomainType). */
export function attributesOf(detail: Pick<LeadDetail, 'attributes'>): Record<string, Value> {
  return Object.fromEntries(detail.attributes.map((a) => [a.key, a.value]));
}

export function valuesOf(detail: Pick<LeadDetail, 'attributes'>): TagValues {
  const a = attributesOf(detail);
  const text = (key: Taggable) => (a[key] === undefined ? '' : String(a[key]));
  return {
    company: text('company'),
    industry: text('industry'),
    seniority: text('seniority'),
    companySize: text('companySize'),
    budget: yesNo(a.budget),
    decisionMaker: yesNo(a.decisionMaker),
    productFit: text('productFit'),
    rating: text('rating'),
  };
}

/** The typed value of each field, or null when the field is empty (or not a valid value). */
export function typedValues(values: TagValues): Record<Taggable, Value | null> {
  const int = (s: string, max: number) => (/^\d+$/.test(s.trim()) && Number(s) <= max ? Number(s) : null);
  const bool = (s: '' | 'yes' | 'no') => (s === '' ? null : s === 'yes');
  return {
    company: values.company.trim().slice(0, 200) || null,
    industry: values.industry.trim() || null,
    seniority: (SENIORITIES as readonly string[]).includes(values.seniority) ? values.seniority : null,
    companySize: int(values.companySize, 10_000_000),
    budget: bool(values.budget),
    decisionMaker: bool(values.decisionMaker),
    productFit: (PRODUCT_FITS as readonly string[]).includes(values.productFit) ? values.productFit : null,
    rating: int(values.rating, 10),
  };
}

/** The attributes the score would see with these form values. */
export function previewAttributes(detail: Pick<LeadDetail, 'attributes'>, values: TagValues): LeadAttributes {
  const merged: Record<string, Value> = attributesOf(detail);
  for (const [key, value] of Object.entries(typedValues(values))) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged as LeadAttributes;
}

/** Only what changed; `null` clears. The gut rating travels as the patch's own `rating` field. */
export function patchOf(initial: TagValues, current: TagValues): LeadPatch | null {
  const before = typedValues(initial);
  const after = typedValues(current);
  const attributes: Record<string, Value | null> = {};
  const patch: LeadPatch = {};
  for (const key of TAGGABLE_ATTRIBUTES) {
    if (before[key] === after[key]) continue;
    if (key === 'rating') patch.rating = after.rating as number | null;
    else attributes[key] = after[key];
  }
  if (Object.keys(attributes).length) patch.attributes = attributes;
  return Object.keys(patch).length ? patch : null;
}

/** Industries the model gives points for: offered as suggestions so tagging stays at two clicks. */
export function industrySuggestions(model: ScoringModel): string[] {
  const found = new Set<string>();
  for (const rule of model.fit.rules) {
    for (const p of rule.when) {
      if (p.attr !== 'industry') continue;
      if (p.op === 'eq' && typeof p.value === 'string') found.add(p.value);
      if (p.op === 'in') p.values.forEach((v) => typeof v === 'string' && found.add(v));
    }
  }
  return [...found].sort();
}

/**
 * The lead as it stands after a save: the backend's new summary (score, tier, grade, stage) and
 * the saved tags, so that the preview's "before" is the score just saved, not the one the form
 * opened with.
 */
export function savedDetail(detail: LeadDetail, saved: LeadSummary, values: TagValues): LeadDetail {
  const typed = typedValues(values);
  const untouched = detail.attributes.filter((a) => !(a.key in typed));
  const tagged = Object.entries(typed).flatMap(([key, value]) => (value === null ? [] : [{ key, value, setBy: 'rep' as const, setAt: saved.scoredAt }]));
  return { ...detail, ...saved, attributes: [...untouched, ...tagged] };
}
