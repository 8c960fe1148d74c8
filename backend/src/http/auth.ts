import type { Context, MiddlewareHandler } from 'hono';
import { Failure } from './failure';
import { readSessionCookie, requireSameOrigin, SESSION_LIMITS } from './session';
import type { AppConfig } from '../config';
import type { Actor, Store, TokenInfo } from '../store/store';

export interface AuthEnv {
  Variables: { token: TokenInfo; actor: Actor };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const challenge = { 'WWW-Authenticate': 'Bearer realm="leadscore"' };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How a token signs its changes: its label when it has one, and always its id. */
function actorOf(token: TokenInfo): Actor {
  return { name: token.label ? `${token.label} (${token.id})` : token.id };
}

/** The token of a bearer header, or a 401 saying why not. */
export async function tokenFromBearer(store: Store, secret: string): Promise<TokenInfo> {
  const token = await store.findToken(secret);
  if (!token) throw new Failure(401, 'invalid_token', 'the token is not valid', undefined, challenge);
  if (token.revokedAt !== null) throw new Failure(401, 'token_revoked', 'the token has been revoked', undefined, challenge);
  return token;
}

/** The token behind the console's session cookie; changes must also come from this origin (CSRF). */
async function tokenFromSession(c: Context, store: Store, config: AppConfig, secret: string): Promise<TokenInfo> {
  const token = await store.findSession(secret, config.now(), SESSION_LIMITS);
  if (!token) throw new Failure(401, 'session_expired', 'the session has ended: sign in again');
  if (!SAFE_METHODS.has(c.req.method)) requireSameOrigin(c, config);
  return token;
}

/**
 * Requires a valid, unrevoked bearer token, or the console's session cookie (which stands for
 * the token it was signed in with); the workspace of every request is the token's.
 */
export function apiAuth(store: Store, config: AppConfig): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const session = header === undefined ? readSessionCookie(c) : undefined;
    let token: TokenInfo;
    if (session !== undefined) token = await tokenFromSession(c, store, config, session);
    else {
      const match = BEARER.exec(header ?? '');
      if (!match) throw new Failure(401, 'unauthorized', 'send a token: Authorization: Bearer <token>', undefined, challenge);
      token = await tokenFromBearer(store, match[1]!);
    }
    c.set('token', token);
    c.set('actor', actorOf(token));
    await next();
  };
}

export const requireAdmin: MiddlewareHandler<AuthEnv> = async (c, next) => {
  if (c.get('token').role !== 'admin') throw new Failure(403, 'forbidden', 'this needs an admin token');
  await next();
};
