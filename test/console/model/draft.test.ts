import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../../shared/index';
import { ScoringModel } from '../../../shared/schemas/model';
import { addEngagementRule, addFitRule, parseEvents, parseModelJson, removeFitRule, ruleId, updateFitRule } from '../../../console/src/model/draft';

describe('the model editor draft', () => {
  it('adds rules with unique valid ids, so the draft still passes the shared schema', () => {
    let model = ScoringModel.parse(DEFAULT_MODEL);
    model = addFitRule(addFitRule(model));
    model = addEngagementRule(model);
    const ids = [...model.fit.rules, ...model.engagement.rules].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['new-fit-rule', 'new-fit-rule-2', 'new-engagement-rule']));
    const withValue = updateFitRule(model, model.fit.rules.length - 1, { ...model.fit.rules.at(-1)!, when: [{ attr: 'industry', op: 'eq', value: 'SaaS' }] });
    expect(ScoringModel.safeParse(updateFitRule(withValue, withValue.fit.rules.length - 2, { ...withValue.fit.rules.at(-2)!, when: [] })).success).toBe(true);
  });

  it('removes exactly the rule asked for', () => {
    const model = ScoringModel.parse(DEFAULT_MODEL);
    const removed = removeFitRule(model, 0);
    expect(removed.fit.rules.map((r) => r.id)).toEqual(model.fit.rules.slice(1).map((r) => r.id));
    expect(model.fit.rules).toHaveLength(removed.fit.rules.length + 1); // the original is untouched
  });

  it('makes ids from labels as the schema wants them', () => {
    const model = ScoringModel.parse(DEFAULT_MODEL);
    expect(ruleId('Demo Requested (EMEA)!', model)).toBe('demo-requested-emea');
    expect(ruleId('***', model)).toBe('rule');
    expect(ruleId(model.fit.rules[0]!.id, model)).toBe(`${model.fit.rules[0]!.id}-2`);
  });

  it('reads event names: one stays a string, several become a list', () => {
    expect(parseEvents(' Demo Requested ')).toBe('Demo Requested');
    expect(parseEvents('Webinar Attended, Webinar Registered,')).toEqual(['Webinar Attended', 'Webinar Registered']);
  });

  it('says what is wrong with JSON that is not a model object', () => {
    expect(parseModelJson('{"version": 1')).toEqual({ error: expect.stringMatching(/^not valid JSON/) });
    expect(parseModelJson('[1]')).toEqual({ error: 'the model must be a JSON object' });
    expect(parseModelJson(JSON.stringify(DEFAULT_MODEL))).toEqual({ model: DEFAULT_MODEL });
  });
});
