import { isEmail, isStorableText, normalizeEmail, type Outcome } from '../../../shared/index';

/** A cell that cannot be read: the reason, for the errors file. */
export class CellError extends Error {}

/** Plain decimal numbers; "007" is an identifier, not a number. */
const NUMBER = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?0?\.\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function looksNumeric(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * Text as a store keeps it. A file that is not UTF-8 decodes to U+FFFD replacement characters:
 * refused, so nothing garbled is stored.
 */
export function storable(text: string): string {
  if (text.includes('\uFFFD')) throw new CellError('contains bytes that are not UTF-8 (save the file as UTF-8)');
  if (!isStorableText(text)) throw new CellError('contains a NUL character, which cannot be stored');
  return text;
}

export function number(text: string): number {
  if (!looksNumeric(text)) throw new CellError(`"${text}" is not a number`);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new CellError(`"${text}" is out of range`);
  return value;
}

export function integer(text: string): number {
  const value = number(text);
  if (!Number.isInteger(value)) throw new CellError(`"${text}" is not a whole number`);
  return value;
}

export function boolean(text: string): boolean {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new CellError(`"${text}" is not yes/no, true/false or 1/0`);
}

/** ISO 8601 (a date alone is midnight UTC) to epoch milliseconds. */
export function date(text: string): number {
  const at = ISO_DATE.test(text) ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T')) : NaN;
  if (!Number.isFinite(at)) throw new CellError(`"${text}" is not a date like 2025-03-31 or 2025-03-31T14:00:00Z`);
  return at;
}

export function email(text: string): string {
  if (!isEmail(text)) throw new CellError(`"${text}" is not an email address`);
  return normalizeEmail(text);
}

export function limited(text: string, max: number): string {
  if (text.length > max) throw new CellError(`longer than ${max} characters`);
  return text;
}

export function outcome(text: string, won: string[], lost: string[]): Outcome {
  const lower = text.toLowerCase();
  if (won.includes(lower)) return 'won';
  if (lost.includes(lower)) return 'lost';
  throw new CellError(`"${text}" is neither won (${won.join(', ')}) nor lost (${lost.join(', ')}); see --won / --lost`);
}
