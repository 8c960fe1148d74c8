import type { AttributePredicate } from '../../../shared/schemas/model';
import { attributeValue, valueText } from '../format';

/** The operators a fit condition can use, as the form's select lists them. */
export const OPS = ['eq', 'in', 'between', 'gte', 'lte', 'matches', 'exists'] as const satisfies readonly AttributePredicate['op'][];
export type Op = (typeof OPS)[number];

/** What the value field of a condition holds, so the form can say what to type. */
export const OP_HINT: Record<Op, string> = {
  eq: 'a value',
  in: 'values, comma-separated',
  between: 'min..max',
  gte: 'a number',
  lte: 'a number',
  matches: 'a regular expression',
  exists: 'nothing',
};

/** A condition's value as the text its field shows. */
export function predicateValue(p: AttributePredicate): string {
  switch (p.op) {
    case 'eq':
    case 'gte':
    case 'lte':
      return valueText(p.value);
    case 'in':
      return p.values.map(valueText).join(', ');
    case 'between':
      return `${p.min}..${p.max}`;
    case 'matches':
      return p.pattern;
    case 'exists':
      return '';
  }
}

const number = (text: string): number => {
  const n = Number(text.trim());
  // NaN goes through on purpose: the API's validation names the field, the form does not guess.
  return text.trim() === '' ? Number.NaN : n;
};

/**
 * The condition the form's three fields describe. Values are typed as a rep's tags are
 * (true/false and numbers as themselves); the backend validates the result.
 */
export function toPredicate(attr: string, op: Op, text: string): AttributePredicate {
  switch (op) {
    case 'eq':
      return { attr, op, value: attributeValue(text) };
    case 'in':
      return { attr, op, values: text.split(',').map((v) => attributeValue(v)).filter((v) => v !== '') };
    case 'between': {
      const [min = '', max = ''] = text.split('..', 2);
      return { attr, op, min: number(min), max: number(max) };
    }
    case 'gte':
    case 'lte':
      return { attr, op, value: number(text) };
    case 'matches':
      return { attr, op, pattern: text };
    case 'exists':
      return { attr, op };
  }
}
