import { describe, expect, it } from 'vitest';
import { compileModel, DEFAULT_MODEL, scoreAccount, ScoringModel, type AccountPerson } from '../../../shared/index';

const compiled = compileModel(DEFAULT_MODEL).accounts;
const people = (...engagement: number[]): AccountPerson[] => engagement.map((e, i) => ({ id: `ld_${i}`, name: `Person ${i}`, email: null, engagement: e }));

describe('scoreAccount (the default account part)', () => {
  it('sums the top three people and 5 per engaged person, as by hand', () => {
    // Retail holds no fit rule: fit 0. Top three: 12 + 6 + 3 = 21; two engaged (>= 5): 2 x 5 = 10.
    const result = scoreAccount(compiled, { attributes: { industry: 'Retail' }, top: people(12, 6, 3, 2), engaged: 2 });
    expect(result).toMatchObject({ fit: 0, engagement: 31, score: 31, tier: 'Cold', peopleEngaged: 2 });
    expect(result.breakdown).toEqual([
      { ruleId: 'top-people', kind: 'engagement', label: 'Engagement of Person 0', count: 1, points: 12 },
      { ruleId: 'top-people', kind: 'engagement', label: 'Engagement of Person 1', count: 1, points: 6 },
      { ruleId: 'top-people', kind: 'engagement', label: 'Engagement of Person 2', count: 1, points: 3 },
      { ruleId: 'people-engaged', kind: 'engagement', label: '2 people engaged', count: 2, points: 10 },
    ]);
  });

  it('adds the account fit rules and caps fit, engaged points and engagement', () => {
    // Target 30 + software 10 + size 10 = 50 (the cap). Top three 30 + 20 + 12.5 = 62.5, seven engaged: 35 capped at 20; engagement 82.5 capped at 50.
    const result = scoreAccount(compiled, { attributes: { targetAccount: true, industry: 'Software', companySize: 200 }, top: people(30, 20, 12.5, 8), engaged: 7 });
    expect(result).toMatchObject({ fit: 50, engagement: 50, score: 100, tier: 'Hot' });
    expect(result.breakdown.filter((l) => l.kind === 'fit').map((l) => [l.ruleId, l.points])).toEqual([
      ['target-account', 30],
      ['account-industry', 10],
      ['account-size', 10],
    ]);
    expect(result.breakdown.at(-1)).toEqual({ ruleId: 'people-engaged', kind: 'engagement', label: '7 people engaged', count: 7, points: 20 });
  });

  it('leaves out people with no engagement, and names a person by email when they have no name', () => {
    const top: AccountPerson[] = [{ id: 'a', name: null, email: 'ann@acme.com', engagement: 4 }, { id: 'b', name: 'Bo', email: null, engagement: 0 }];
    const result = scoreAccount(compiled, { attributes: {}, top, engaged: 0 });
    expect(result.breakdown).toEqual([{ ruleId: 'top-people', kind: 'engagement', label: 'Engagement of ann@acme.com', count: 1, points: 4 }]);
    expect(result).toMatchObject({ score: 4, tier: 'Cold', peopleEngaged: 0 });
  });

  it("follows a model's own account part: its tiers, top count and points per person", () => {
    const model = ScoringModel.parse({
      ...DEFAULT_MODEL,
      accounts: {
        fit: { max: 20, rules: [{ id: 'de', label: 'Germany', when: [{ attr: 'country', op: 'eq', value: 'DE' }], points: 20 }] },
        engagement: { max: 80, topPeople: 1, engagedMin: 10, pointsPerEngaged: 15, maxEngagedPoints: 60 },
        tiers: [{ name: 'A', min: 60 }, { name: 'B', min: 0 }],
      },
    });
    // 20 (Germany, case-insensitively) + 25 (the top person only) + 3 x 15 engaged = 90.
    const result = scoreAccount(compileModel(model).accounts, { attributes: { country: 'de' }, top: people(25, 24), engaged: 3 });
    expect(result).toMatchObject({ fit: 20, engagement: 70, score: 90, tier: 'A' });
  });
});

describe('the account part of a model', () => {
  it('is optional: a model without one scores accounts with the default', () => {
    const { accounts: _omitted, ...withoutAccounts } = DEFAULT_MODEL;
    const input = { attributes: { targetAccount: true }, top: people(10), engaged: 1 };
    expect(scoreAccount(compileModel(withoutAccounts as ScoringModel).accounts, input)).toEqual(scoreAccount(compiled, input));
  });

  it('refuses unordered tiers and duplicate rule ids, naming the path', () => {
    const bad = { ...DEFAULT_MODEL, accounts: { ...DEFAULT_MODEL.accounts!, tiers: [{ name: 'Cold', min: 0 }, { name: 'Hot', min: 70 }] } };
    expect(ScoringModel.safeParse(bad).error?.issues.map((i) => i.path.join('.'))).toEqual(['accounts.tiers']);
    const rules = DEFAULT_MODEL.accounts!.fit.rules;
    const dup = { ...DEFAULT_MODEL, accounts: { ...DEFAULT_MODEL.accounts!, fit: { max: 50, rules: [...rules, rules[0]!] } } };
    expect(ScoringModel.safeParse(dup).error?.issues.map((i) => i.message)).toEqual(['duplicate rule id "target-account"']);
  });
});
