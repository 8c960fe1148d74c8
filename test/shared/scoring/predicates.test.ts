import { describe, expect, it } from 'vitest';
import { scoreLead, type AttributePredicate, type LeadAttributes, type PropertyPredicate } from '../../../shared/index';
import { model, NOW } from '../support/models';

/** Whether a fit rule with this one predicate gives its points to a lead with these attributes. */
function fits(when: AttributePredicate, attributes: Record<string, unknown>): boolean {
  const m = model({ fit: [{ id: 'r', label: 'r', when: [when], points: 7 }] });
  return scoreLead(m, { attributes: attributes as LeadAttributes }, [], NOW).fit === 7;
}

/** Whether an engagement rule with this one condition counts an event with these properties. */
function counts(where: PropertyPredicate, properties: Record<string, unknown> | undefined): boolean {
  const m = model({ engagement: [{ id: 'r', label: 'r', event: 'Thing', where: [where], points: 3 }] });
  return scoreLead(m, { attributes: {} }, [{ event: 'Thing', properties, at: NOW }], NOW).engagement === 3;
}

describe('attribute predicates', () => {
  it('eq compares strings case-insensitively and other values exactly, without coercion', () => {
    expect(fits({ attr: 'industry', op: 'eq', value: 'SaaS' }, { industry: 'saas' })).toBe(true);
    expect(fits({ attr: 'industry', op: 'eq', value: 'SaaS' }, { industry: 'SaaS tools' })).toBe(false);
    expect(fits({ attr: 'budget', op: 'eq', value: true }, { budget: true })).toBe(true);
    expect(fits({ attr: 'budget', op: 'eq', value: true }, { budget: false })).toBe(false);
    expect(fits({ attr: 'budget', op: 'eq', value: true }, { budget: 'true' })).toBe(false);
    expect(fits({ attr: 'companySize', op: 'eq', value: 50 }, { companySize: '50' })).toBe(false);
    expect(fits({ attr: 'industry', op: 'eq', value: 'SaaS' }, {})).toBe(false);
  });

  it('in matches any listed value', () => {
    const p: AttributePredicate = { attr: 'seniority', op: 'in', values: ['vp', 'c-level', 3] };
    expect(fits(p, { seniority: 'vp' })).toBe(true);
    expect(fits(p, { seniority: 'C-Level' })).toBe(true);
    expect(fits(p, { seniority: 3 })).toBe(true);
    expect(fits(p, { seniority: 'manager' })).toBe(false);
    expect(fits(p, {})).toBe(false);
  });

  it('between includes both ends; gte and lte include the bound; all need a number', () => {
    const between: AttributePredicate = { attr: 'companySize', op: 'between', min: 50, max: 500 };
    expect([49, 50, 200, 500, 501].map((companySize) => fits(between, { companySize }))).toEqual([false, true, true, true, false]);
    expect(fits(between, { companySize: '200' })).toBe(false);
    expect([7, 8, 9].map((rating) => fits({ attr: 'rating', op: 'gte', value: 8 }, { rating }))).toEqual([false, true, true]);
    expect([7, 8, 9].map((rating) => fits({ attr: 'rating', op: 'lte', value: 8 }, { rating }))).toEqual([true, true, false]);
    expect(fits({ attr: 'rating', op: 'gte', value: 8 }, {})).toBe(false);
  });

  it('matches is a case-insensitive regular expression search over strings and numbers', () => {
    const p: AttributePredicate = { attr: 'jobTitle', op: 'matches', pattern: '\\b(vp|chief)\\b' };
    expect(fits(p, { jobTitle: 'VP of Sales' })).toBe(true);
    expect(fits(p, { jobTitle: 'Chief Revenue Officer' })).toBe(true);
    expect(fits(p, { jobTitle: 'MVP engineer' })).toBe(false);
    expect(fits({ attr: 'zip', op: 'matches', pattern: '^9' }, { zip: 94107 })).toBe(true);
    expect(fits(p, {})).toBe(false);
  });

  it('exists holds for any set value, including false and 0, but not empty text', () => {
    const p = (attr: string): AttributePredicate => ({ attr, op: 'exists' });
    expect(fits(p('budget'), { budget: false })).toBe(true);
    expect(fits(p('rating'), { rating: 0 })).toBe(true);
    expect(fits(p('industry'), { industry: '' })).toBe(false);
    expect(fits(p('industry'), {})).toBe(false);
  });

  it('inherited keys are never attributes', () => {
    expect(fits({ attr: 'constructor', op: 'exists' }, {})).toBe(false);
    expect(fits({ attr: 'toString', op: 'exists' }, { industry: 'x' })).toBe(false);
  });

  it('a rule with several predicates needs all of them', () => {
    const m = model({
      fit: [{ id: 'ideal', label: 'ideal', points: 9, when: [{ attr: 'industry', op: 'eq', value: 'fintech' }, { attr: 'companySize', op: 'gte', value: 100 }] }],
    });
    expect(scoreLead(m, { attributes: { industry: 'Fintech', companySize: 100 } }, [], NOW).fit).toBe(9);
    expect(scoreLead(m, { attributes: { industry: 'Fintech', companySize: 99 } }, [], NOW).fit).toBe(0);
  });
});

describe('event conditions', () => {
  it('read dotted property paths and compare like attributes', () => {
    expect(counts({ prop: 'form.id', op: 'eq', value: 'demo' }, { form: { id: 'Demo' } })).toBe(true);
    expect(counts({ prop: 'form.id', op: 'eq', value: 'demo' }, { form: { id: 'contact' } })).toBe(false);
    expect(counts({ prop: 'form.id', op: 'eq', value: 'demo' }, { form: 'demo' })).toBe(false);
    expect(counts({ prop: 'seconds', op: 'gte', value: 30 }, { seconds: 45 })).toBe(true);
    expect(counts({ prop: 'url', op: 'matches', pattern: 'utm_source=linkedin' }, { url: 'https://x.io/?UTM_SOURCE=LinkedIn' })).toBe(true);
    expect(counts({ prop: 'url', op: 'exists' }, undefined)).toBe(false);
    expect(counts({ prop: 'a.constructor', op: 'exists' }, { a: {} })).toBe(false);
  });

  it('glob matches URL paths: * within a folder, ** across folders, {a,b} alternatives, trailing slash ignored', () => {
    const glob = (pattern: string, path: string) => counts({ prop: 'path', op: 'glob', pattern }, { path });
    expect(glob('/pricing*', '/pricing')).toBe(true);
    expect(glob('/pricing*', '/pricing/')).toBe(true);
    expect(glob('/pricing*', '/Pricing-Enterprise')).toBe(true);
    expect(glob('/pricing*', '/pricing/enterprise')).toBe(false);
    expect(glob('/pricing*', '/about/pricing')).toBe(false);
    expect(glob('/blog/**', '/blog')).toBe(true);
    expect(glob('/blog/**', '/blog/2025/scoring')).toBe(true);
    expect(glob('/blog/**', '/blogroll')).toBe(false);
    expect(glob('/docs/**/api', '/docs/api')).toBe(true);
    expect(glob('/docs/**/api', '/docs/v2/rest/api')).toBe(true);
    expect(glob('/p?ge', '/page')).toBe(true);
    expect(glob('/p?ge', '/p/ge')).toBe(false);
    expect(glob('/{careers,jobs}/**', '/jobs/42')).toBe(true);
    expect(glob('/a.b+(c)', '/a.b+(c)')).toBe(true);
    expect(glob('/a.b', '/aXb')).toBe(false);
    expect(counts({ prop: 'path', op: 'glob', pattern: '**' }, { path: 42 })).toBe(false);
  });

  it('an event counts for every rule that matches it; other events count for nothing', () => {
    const m = model({
      engagement: [
        { id: 'any-page', label: 'page', event: 'Page Viewed', points: 1 },
        { id: 'pricing', label: 'pricing', event: ['Page Viewed', 'Pricing Opened'], where: [{ prop: 'path', op: 'glob', pattern: '/pricing' }], points: 10 },
      ],
    });
    const events = [
      { event: 'Page Viewed', properties: { path: '/pricing' }, at: NOW },
      { event: 'Pricing Opened', properties: { path: '/pricing' }, at: NOW },
      { event: 'Page Viewed', properties: { path: '/' }, at: NOW },
      { event: 'Signed Up', at: NOW },
    ];
    const r = scoreLead(m, { attributes: {} }, events, NOW);
    expect(r.breakdown.map((l) => [l.ruleId, l.count, l.points])).toEqual([
      ['any-page', 2, 2],
      ['pricing', 2, 20],
    ]);
  });
});
