import { Failure } from '../http/failure';
import type { TimelineCursor } from '../store/store';

/** Opaque to clients: where the next timeline page starts. */
export function encodeCursor(cursor: TimelineCursor): string {
  return Buffer.from(`${cursor.at}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): TimelineCursor {
  const match = /^(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw new Failure(400, 'invalid_cursor', 'the cursor is not one this API returned');
  return { at: Number(match[1]), id: Number(match[2]) };
}
