import { hashToken } from '../../domain/tokens';
import { randomAlphanumeric } from '../../domain/ids';
import { tokenFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { TokenInfo } from '../store';

/** How long a session lives without being used, and at most since it was created. */
export interface SessionLimits {
  idleMs: number;
  maxAgeMs: number;
}

/**
 * A session's last use is written at most this often: a page of the console makes several
 * requests a second, and a write per request would be a write per read.
 */
const TOUCH_EVERY_MS = 60_000;

/**
 * A new session for the token; returns the cookie's secret (only its hash is stored). Sessions
 * that expired unused (a closed browser never signs out) are deleted on the way, so the table
 * holds live sessions only.
 */
export async function createSession(db: Db, tokenId: string, now: number, limits: SessionLimits): Promise<string> {
  const secret = `ls_session_${randomAlphanumeric(43)}`;
  await db
    .deleteFrom('console_sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', now - limits.idleMs), eb('created_at', '<', now - limits.maxAgeMs)]))
    .execute();
  await db.insertInto('console_sessions').values({ hash: hashToken(secret), token_id: tokenId, created_at: now, last_seen_at: now }).execute();
  return secret;
}

/**
 * The token behind a live session: undefined when the session is unknown, idle too long, too old,
 * or its token was revoked (an expired session is deleted on the way).
 */
export async function findSession(db: Db, secret: string, now: number, limits: SessionLimits): Promise<TokenInfo | undefined> {
  const hash = hashToken(secret);
  const row = await db
    .selectFrom('console_sessions')
    .innerJoin('tokens', 'tokens.id', 'console_sessions.token_id')
    .selectAll('tokens')
    .select(['console_sessions.created_at as session_created_at', 'console_sessions.last_seen_at'])
    .where('console_sessions.hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_created_at, last_seen_at, ...token } = row;
  const expired = now - Number(last_seen_at) > limits.idleMs || now - Number(session_created_at) > limits.maxAgeMs;
  if (expired || token.revoked_at !== null) {
    await deleteSession(db, secret);
    return undefined;
  }
  if (now - Number(last_seen_at) > TOUCH_EVERY_MS) await db.updateTable('console_sessions').set({ last_seen_at: now }).where('hash', '=', hash).execute();
  return tokenFromRow(token);
}

export async function deleteSession(db: Db, secret: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('hash', '=', hashToken(secret)).execute();
}
