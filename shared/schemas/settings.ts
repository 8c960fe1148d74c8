import { z } from 'zod';
import { storableText } from './text';

/** "https://www.example.com" (scheme, host, port; no path), or "*" for any origin. */
export const SiteOrigin = z.string().max(300).refine((text) => {
  if (text === '*') return true;
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && text.replace(/\/$/, '') === url.origin;
  } catch {
    return false;
  }
}, 'an origin is like https://www.example.com (scheme and host only), or *');

/** POST /api/sites (a new site) and POST /api/sites/:key/origins (more allowed origins). */
export const SiteOrigins = z.object({ origins: z.array(SiteOrigin).min(1).max(50) }).strict();
export type SiteOrigins = z.infer<typeof SiteOrigins>;

export const SiteView = z.object({ key: z.string(), origins: z.array(z.string()), createdAt: z.iso.datetime() });
export type SiteView = z.infer<typeof SiteView>;
export const SitesResponse = z.object({ sites: z.array(SiteView) });
export type SitesResponse = z.infer<typeof SitesResponse>;

/** POST /api/tokens. */
export const NewToken = storableText(z.object({ role: z.enum(['rep', 'admin']), label: z.string().trim().min(1).max(100).nullable().default(null) }).strict());
export type NewToken = z.infer<typeof NewToken>;

export const TokenView = z.object({
  id: z.string(),
  role: z.enum(['rep', 'admin']),
  label: z.string().nullable(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});
export type TokenView = z.infer<typeof TokenView>;
export const TokensResponse = z.object({ tokens: z.array(TokenView) });
export type TokensResponse = z.infer<typeof TokensResponse>;
/** The new token with its secret: shown once, never again. */
export const CreatedToken = TokenView.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof CreatedToken>;
