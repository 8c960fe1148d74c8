import { LeadAttributes } from '../../../shared/index';

/** Segment-style trait names and the lead attribute each one fills. */
const TRAIT_ATTRIBUTES: Record<string, string> = {
  title: 'jobTitle',
  jobTitle: 'jobTitle',
  industry: 'industry',
  country: 'country',
  employees: 'companySize',
  companySize: 'companySize',
  source: 'source',
};

/** The lead attributes an identify call's traits provide; values that do not validate are skipped. */
export function attributesFromTraits(traits: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [trait, key] of Object.entries(TRAIT_ATTRIBUTES)) {
    const value = traits[trait];
    if (value === undefined || key in out) continue;
    const parsed = LeadAttributes.safeParse({ [key]: value });
    if (parsed.success) out[key] = parsed.data[key] as string | number | boolean;
  }
  return out;
}

/** A display name from `name`, or `firstName` + `lastName`. */
export function nameFromTraits(traits: Record<string, unknown>): string | null {
  const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : '');
  const name = pick(traits.name) || [pick(traits.firstName), pick(traits.lastName)].filter(Boolean).join(' ');
  return name || null;
}
