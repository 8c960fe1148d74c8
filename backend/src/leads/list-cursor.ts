import type { LeadListSort } from '../../../shared/index';
import { Failure } from '../http/failure';
import type { LeadListPosition } from '../store/store';

/** Opaque to clients: the sort it belongs to, the last row's sort value and id. */
export function encodeListCursor(sort: LeadListSort, position: LeadListPosition): string {
  return Buffer.from(JSON.stringify([sort, position.value, position.id])).toString('base64url');
}

/** The position a cursor names; a 400 when it is not one this API returned for this sort. */
export function decodeListCursor(sort: LeadListSort, text: string): LeadListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [cursorSort, value, id] = parsed as unknown[];
  if (cursorSort !== sort) throw new Failure(400, 'invalid_cursor', 'the cursor belongs to another sort: start again without it');
  if (typeof value !== 'number' || !Number.isFinite(value) || typeof id !== 'string' || id.length === 0 || id.length > 100) throw invalid();
  return { value, id };
}

const invalid = () => new Failure(400, 'invalid_cursor', 'the cursor is not one this API returned');
