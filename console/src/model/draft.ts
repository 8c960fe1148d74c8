import type { EngagementRule, FitRule, ScoringModel } from '../../../shared/schemas/model';

/** A rule id from a label ("Demo requested" -> "demo-requested"), made unique among the model's ids. */
export function ruleId(label: string, model: ScoringModel): string {
  const taken = new Set([...model.fit.rules, ...model.engagement.rules].map((r) => r.id));
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'rule';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function addFitRule(model: ScoringModel): ScoringModel {
  const rule: FitRule = { id: ruleId('new fit rule', model), label: 'New fit rule', when: [{ attr: 'industry', op: 'eq', value: '' }], points: 5 };
  return { ...model, fit: { ...model.fit, rules: [...model.fit.rules, rule] } };
}

export function addEngagementRule(model: ScoringModel): ScoringModel {
  const rule: EngagementRule = { id: ruleId('new engagement rule', model), label: 'New engagement rule', event: 'Page Viewed', points: 1 };
  return { ...model, engagement: { ...model.engagement, rules: [...model.engagement.rules, rule] } };
}

export function updateFitRule(model: ScoringModel, index: number, rule: FitRule): ScoringModel {
  return { ...model, fit: { ...model.fit, rules: model.fit.rules.map((r, i) => (i === index ? rule : r)) } };
}

export function updateEngagementRule(model: ScoringModel, index: number, rule: EngagementRule): ScoringModel {
  return { ...model, engagement: { ...model.engagement, rules: model.engagement.rules.map((r, i) => (i === index ? rule : r)) } };
}

export function removeFitRule(model: ScoringModel, index: number): ScoringModel {
  return { ...model, fit: { ...model.fit, rules: model.fit.rules.filter((_, i) => i !== index) } };
}

export function removeEngagementRule(model: ScoringModel, index: number): ScoringModel {
  return { ...model, engagement: { ...model.engagement, rules: model.engagement.rules.filter((_, i) => i !== index) } };
}

/** Event names as the form shows them: comma-separated. */
export const eventText = (event: EngagementRule['event']): string => (Array.isArray(event) ? event.join(', ') : event);

/** One name stays a string, several become a list (as the schema allows both). */
export function parseEvents(text: string): EngagementRule['event'] {
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  return names.length === 1 ? names[0]! : names;
}

/**
 * The JSON tab's text as a model. Only the JSON syntax is checked here: the console does not load
 * zod, so the schema check is the API's (the preview's backtest answers 400 naming the field).
 */
export function parseModelJson(text: string): { model: ScoringModel } | { error: string } {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the model must be a JSON object' };
    return { model: value as ScoringModel };
  } catch (error) {
    return { error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
