import { Hono } from 'hono';
import { API_VERSION, SessionRequest, type MeResponse } from '../../../shared/index';
import type { AppConfig } from '../config';
import { tokenFromBearer } from '../http/auth';
import { readJson } from '../http/errors';
import { Failure } from '../http/failure';
import { clearSessionCookie, readSessionCookie, requireSameOrigin, SESSION_LIMITS, setSessionCookie } from '../http/session';
import type { Store } from '../store/store';

/**
 * The console's sign-in: a token (rep or admin) exchanged for a session cookie, and sign-out.
 * Both only from the console's own origin, so another site can neither sign a browser in nor out.
 */
export function sessionRoutes(store: Store, config: AppConfig): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    requireSameOrigin(c, config);
    const { token: secret } = await readJson(c, SessionRequest, config.apiBodyLimit, 'invalid_body');
    const token = await tokenFromBearer(store, secret);
    const workspace = await store.getWorkspace(token.workspaceId);
    if (!workspace) throw new Failure(401, 'invalid_token', 'the token belongs to a workspace that no longer exists');
    const session = await store.createSession(token.id, config.now(), SESSION_LIMITS);
    setSessionCookie(c, session, config.trustProxy);
    c.header('Cache-Control', 'no-store');
    return c.json({ apiVersion: API_VERSION, workspace: { id: workspace.id, name: workspace.name }, role: token.role, token: { id: token.id, label: token.label } } satisfies MeResponse, 201);
  });

  app.delete('/', async (c) => {
    requireSameOrigin(c, config);
    const session = readSessionCookie(c);
    if (session) await store.deleteSession(session);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  return app;
}
