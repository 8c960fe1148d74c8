import { LeadAttributes, type Scalar } from '../../../shared/index';
import type { PreparedEvent } from './events';

/** What a call says about its person: attributes to fill when the lead has none yet, and a name. */
export interface PersonFacts {
  attributes: Record<string, Scalar>;
  name: string | null;
}

/**
 * Segment's reserved identify traits (and the common non-reserved ones) and the lead attribute
 * each fills, first path first. Reserved traits left out on purpose: email (an identity, not an
 * attribute), name/firstName/lastName (the lead's name), id/username/avatar/description (no fit
 * signal), phone and address.street/postalCode (contact data a score has no use for), and
 * age/birthday/gender, which a B2B fit model must not use.
 */
const TRAIT_PATHS: [attribute: string, paths: string[]][] = [
  ['jobTitle', ['title', 'jobTitle']],
  ['seniority', ['seniority']],
  ['industry', ['industry', 'company.industry']],
  ['companySize', ['employees', 'companySize', 'company.employee_count', 'company.employees']],
  ['annualRevenue', ['annualRevenue', 'company.annual_revenue']],
  ['company', ['company.name', 'company']],
  ['companyId', ['company.id']],
  ['plan', ['plan', 'company.plan']],
  ['website', ['website']],
  ['country', ['country', 'address.country']],
  ['region', ['address.state', 'state']],
  ['city', ['address.city', 'city']],
  ['source', ['source']],
  ['signedUpAt', ['createdAt']],
];

/** Segment's campaign object (UTM parameters): where the person came from, first touch kept. */
const CAMPAIGN_PATHS: [attribute: string, paths: string[]][] = [
  ['source', ['source']],
  ['medium', ['medium']],
  ['campaign', ['name']],
];

/** Typed attributes that are numbers; SDKs and forms often send them as numeric strings. */
const NUMERIC = new Set(['companySize', 'annualRevenue']);

function at(object: Record<string, unknown>, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function attributeValue(key: string, raw: unknown): Scalar | undefined {
  if (raw === null || typeof raw === 'object' || raw === '') return undefined;
  const value = NUMERIC.has(key) && typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  const parsed = LeadAttributes.safeParse({ [key]: value });
  return parsed.success ? (parsed.data[key] as Scalar) : undefined;
}

/** The lead attributes an object of traits provides by `paths`; values that do not validate are skipped. */
function mapped(source: unknown, paths: [string, string[]][]): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  if (!isObject(source)) return out;
  for (const [key, candidates] of paths) {
    for (const path of candidates) {
      const value = attributeValue(key, at(source, path));
      if (value === undefined) continue;
      out[key] = value;
      break;
    }
  }
  return out;
}

/** A display name from `name`, or `firstName` + `lastName`. */
function nameFromTraits(traits: Record<string, unknown>): string | null {
  const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : '');
  const name = pick(traits.name) || [pick(traits.firstName), pick(traits.lastName)].filter(Boolean).join(' ');
  return name || null;
}

/**
 * What one call says about its person, as Segment's spec places it: an identify's `traits`, the
 * `context.traits` any call may carry, and `context.campaign` (UTM). Traits win over the
 * campaign, an identify's own traits over its context's. Null when the call says nothing.
 */
export function personFacts(e: Pick<PreparedEvent, 'type' | 'traits' | 'context'>): PersonFacts | null {
  const contextTraits = e.context?.traits;
  // Most events (page views, clicks) carry none of the three: answered before any copy, as ingest calls this per event.
  if (!isObject(contextTraits) && !isObject(e.context?.campaign) && !(e.type === 'identify' && e.traits)) return null;
  const traits = { ...(isObject(contextTraits) ? contextTraits : {}), ...(e.type === 'identify' ? e.traits : {}) };
  const attributes = { ...mapped(e.context?.campaign, CAMPAIGN_PATHS), ...mapped(traits, TRAIT_PATHS) };
  const name = nameFromTraits(traits);
  return name || Object.keys(attributes).length ? { attributes, name } : null;
}

/**
 * The first value said wins, in a batch as across batches (stored attributes are only filled,
 * never overwritten): the first touch's campaign stays the lead's source.
 */
export function mergeFacts(earlier: PersonFacts | undefined, later: PersonFacts): PersonFacts {
  if (!earlier) return later;
  return { attributes: { ...later.attributes, ...earlier.attributes }, name: earlier.name ?? later.name };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
