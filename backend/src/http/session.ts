import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { Failure } from './failure';
import type { AppConfig } from '../config';
import type { SessionLimits } from '../store/store';

/** The console's session cookie: httpOnly (no script reads it) and SameSite=Strict. */
export const SESSION_COOKIE = 'leadscore_session';

/** A session ends after 12 hours unused, and a week after sign-in whatever happens. */
export const SESSION_LIMITS: SessionLimits = { idleMs: 12 * 3_600_000, maxAgeMs: 7 * 86_400_000 };

/** True when the client reached us over HTTPS (as a trusted proxy reports it, behind one). */
function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    if (forwarded) return forwarded === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}

/** The origin the browser addressed: scheme and Host (or the proxy's forwarded host). */
function ownOrigin(c: Context, trustProxy: boolean): string {
  const host = (trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined) || c.req.header('host') || new URL(c.req.url).host;
  return `${isHttps(c, trustProxy) ? 'https' : 'http'}://${host}`;
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

/** Secure whenever the request came over HTTPS; plain http://localhost keeps working for `npm start`. */
export function setSessionCookie(c: Context, secret: string, trustProxy: boolean): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c, trustProxy),
    path: '/',
    maxAge: Math.floor(SESSION_LIMITS.maxAgeMs / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/**
 * CSRF guard for requests a cookie authenticates: a change must come from a page of this origin,
 * as the request addressed it or as PUBLIC_URL names it (behind a proxy that rewrites Host).
 * Browsers send Origin on every cross-origin request and on same-origin non-GET fetches; a
 * request without it, or from elsewhere, is refused (SameSite=Strict is the first line, this the second).
 */
export function requireSameOrigin(c: Context, config: Pick<AppConfig, 'trustProxy' | 'publicUrl'>): void {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin') throw crossSite();
  if (!origin || (origin !== ownOrigin(c, config.trustProxy) && origin !== publicOrigin(config.publicUrl))) throw crossSite();
}

function publicOrigin(publicUrl: string): string | undefined {
  try {
    return new URL(publicUrl).origin;
  } catch {
    return undefined;
  }
}

const crossSite = () => new Failure(403, 'cross_site_request', 'a session cookie only works from the console’s own pages (Origin must be this server)');
