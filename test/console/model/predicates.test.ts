import { describe, expect, it } from 'vitest';
import { AttributePredicate, type AttributePredicate as Predicate } from '../../../shared/schemas/model';
import { predicateValue, toPredicate } from '../../../console/src/model/predicates';

describe('a fit condition in the form', () => {
  it('types what was typed per operator, into a condition the shared schema accepts', () => {
    const cases = [
      [toPredicate('industry', 'eq', 'SaaS'), { attr: 'industry', op: 'eq', value: 'SaaS' }],
      [toPredicate('budget', 'eq', 'true'), { attr: 'budget', op: 'eq', value: true }],
      [toPredicate('industry', 'in', 'SaaS, Software'), { attr: 'industry', op: 'in', values: ['SaaS', 'Software'] }],
      [toPredicate('employees', 'between', '50..500'), { attr: 'employees', op: 'between', min: 50, max: 500 }],
      [toPredicate('employees', 'gte', '100'), { attr: 'employees', op: 'gte', value: 100 }],
      [toPredicate('title', 'matches', '^VP'), { attr: 'title', op: 'matches', pattern: '^VP' }],
      [toPredicate('title', 'exists', 'ignored'), { attr: 'title', op: 'exists' }],
    ] as const;
    for (const [made, expected] of cases) {
      expect(made).toEqual(expected);
      expect(AttributePredicate.safeParse(made).success).toBe(true);
    }
  });

  it('round-trips through the text the form shows', () => {
    const conditions: Predicate[] = [{ attr: 'a', op: 'in', values: ['x', 2, true] }, { attr: 'a', op: 'between', min: 1.5, max: 3 }, { attr: 'a', op: 'lte', value: 7 }];
    for (const p of conditions) {
      expect(toPredicate(p.attr, p.op, predicateValue(p))).toEqual(p);
    }
  });

  it('leaves a missing number invalid for the API to name, instead of guessing 0', () => {
    const p = toPredicate('employees', 'gte', '');
    expect(AttributePredicate.safeParse(p).success).toBe(false);
  });
});
