import type { AttributePredicate, PropertyPredicate } from '../schemas/model';
import { globToRegExp } from './glob';

type ValueTest = (value: unknown) => boolean;
export type RecordTest = (record: Readonly<Record<string, unknown>> | undefined) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

/** Strings compare case-insensitively (reps and sites spell "SaaS" many ways); other values by identity. */
function caseless(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** The test one predicate applies to a single value. Numeric comparisons never coerce strings. */
function valueTest(p: AttributePredicate | PropertyPredicate): ValueTest {
  switch (p.op) {
    case 'eq': {
      const want = caseless(p.value);
      return (v) => v === p.value || caseless(v) === want;
    }
    case 'in': {
      const wanted = new Set(p.values.map(caseless));
      return (v) => wanted.has(caseless(v));
    }
    case 'between':
      return (v) => typeof v === 'number' && v >= p.min && v <= p.max;
    case 'gte':
      return (v) => typeof v === 'number' && v >= p.value;
    case 'lte':
      return (v) => typeof v === 'number' && v <= p.value;
    case 'matches': {
      const re = new RegExp(p.pattern, 'i');
      return (v) => (typeof v === 'string' || typeof v === 'number') && re.test(String(v));
    }
    case 'glob': {
      const re = globToRegExp(p.pattern);
      return (v) => typeof v === 'string' && re.test(v);
    }
    case 'exists':
      return (v) => v !== undefined && v !== null && v !== '';
  }
}

/** Reads a flat attribute; inherited keys such as `constructor` never match. */
function attributeReader(key: string): (record: unknown) => unknown {
  return (record) => (record !== null && typeof record === 'object' && hasOwn.call(record, key) ? (record as Record<string, unknown>)[key] : undefined);
}

/** Reads an own property by dotted path (`page.path`); inherited keys never match. */
function propertyReader(path: string): (record: unknown) => unknown {
  const keys = path.split('.');
  if (keys.length === 1) return attributeReader(path);
  return (record) => {
    let v = record;
    for (const key of keys) {
      if (v === null || typeof v !== 'object' || !hasOwn.call(v, key)) return undefined;
      v = (v as Record<string, unknown>)[key];
    }
    return v;
  };
}

/** Fit rules: every predicate on the lead's attributes must hold. */
export function allAttributes(predicates: readonly AttributePredicate[]): RecordTest {
  return allOf(predicates.map((p) => ({ read: attributeReader(p.attr), test: valueTest(p) })));
}

/** Engagement rules: every condition on the event's properties must hold. */
export function allProperties(predicates: readonly PropertyPredicate[]): RecordTest {
  return allOf(predicates.map((p) => ({ read: propertyReader(p.prop), test: valueTest(p) })));
}

function allOf(checks: { read: (record: unknown) => unknown; test: ValueTest }[]): RecordTest {
  if (checks.length === 1) {
    const { read, test } = checks[0]!;
    return (record) => test(read(record));
  }
  return (record) => {
    for (const check of checks) if (!check.test(check.read(record))) return false;
    return true;
  };
}
