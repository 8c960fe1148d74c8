import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel, DEFAULT_MODEL, ScoringModel } from '../../../shared/index';
import { modelJsonSchemaText, SCHEMA_PATH } from '../../../shared/scripts/model-json-schema';

describe('the scoring model contract', () => {
  it('docs/scoring-model.schema.json is up to date (run `npm run schema` after changing the zod model)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(modelJsonSchemaText());
  });

  it('the JSON Schema describes the model editors write', () => {
    const schema = JSON.parse(modelJsonSchemaText());
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'name', 'halfLifeDays', 'fit', 'engagement', 'grades', 'tiers', 'stages']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(Object.keys(DEFAULT_MODEL)));
    expect(schema.additionalProperties).toBe(false);
  });

  it('rejects a bad model with the path of every problem', () => {
    const bad = {
      version: 0,
      name: 'bad',
      halfLifeDays: 30,
      fit: { max: 50, rules: [{ id: 'Bad Id', label: 'x', when: [{ attr: 'industry', op: 'matches', pattern: '(' }], points: 5 }] },
      engagement: {
        max: 50,
        rules: [
          { id: 'open', label: 'Opened', event: 'Email Opened', points: 2000 },
          { id: 'open', label: 'Again', event: 'Email Opened', points: 1, maxCount: 0, where: [{ prop: 'n', op: 'between', min: 5, max: 1 }] },
        ],
      },
      grades: [{ grade: 'A', minFit: 30 }],
      tiers: [
        { name: 'Warm', min: 40 },
        { name: 'Hot', min: 70 },
      ],
      stages: { MQL: [{}], SQL: [{ milestone: 'open' }] },
      surprise: true,
    };
    const result = ScoringModel.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'version',
        'fit.rules.0.id',
        'fit.rules.0.when.0.pattern',
        'engagement.rules.0.points',
        'engagement.rules.1.maxCount',
        'engagement.rules.1.where.0.max',
        'engagement.rules',
        'tiers',
        'stages.MQL.0',
        'stages.SQL.0.milestone',
        '',
      ]),
    );
    expect(() => compileModel(bad as never)).toThrow(/version/);
  });

  it('bounds maxCount so a lead\'s aggregate stays small', () => {
    const m = structuredClone(DEFAULT_MODEL);
    m.engagement.rules[0]!.maxCount = 1001;
    expect(ScoringModel.safeParse(m).error?.issues.map((i) => i.path.join('.'))).toEqual(['engagement.rules.0.maxCount']);
  });
});

describe('docs/SCORING.md', () => {
  it('shows an example model that is valid', () => {
    const doc = readFileSync(new URL('../../../docs/SCORING.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const parsed = ScoringModel.safeParse(JSON.parse(example!));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
