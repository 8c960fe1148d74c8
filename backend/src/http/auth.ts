import type { MiddlewareHandler } from 'hono';
import { Failure } from './failure';
import type { Actor, Store, TokenInfo } from '../store/store';

export interface AuthEnv {
  Variables: { token: TokenInfo; actor: Actor };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const challenge = { 'WWW-Authenticate': 'Bearer realm="leadscore"' };

/** How a token signs its changes: its label when it has one, and always its id. */
function actorOf(token: TokenInfo): Actor {
  return { name: token.label ? `${token.label} (${token.id})` : token.id };
}

/** Requires a valid, unrevoked bearer token; the workspace of every request is the token's. */
export function bearerAuth(store: Store): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match) throw new Failure(401, 'unauthorized', 'send a token: Authorization: Bearer <token>', undefined, challenge);
    const token = await store.findToken(match[1]!);
    if (!token) throw new Failure(401, 'invalid_token', 'the token is not valid', undefined, challenge);
    if (token.revokedAt !== null) throw new Failure(401, 'token_revoked', 'the token has been revoked', undefined, challenge);
    c.set('token', token);
    c.set('actor', actorOf(token));
    await next();
  };
}

export const requireAdmin: MiddlewareHandler<AuthEnv> = async (c, next) => {
  if (c.get('token').role !== 'admin') throw new Failure(403, 'forbidden', 'this needs an admin token');
  await next();
};
