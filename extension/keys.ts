import type { LeadSummary } from '../shared';
// The module itself, not the barrel: content scripts import this file and must not pull in zod.
import { normalizeEmail } from '../shared/email';
import { normalizeLinkedinUrl } from '../shared/linkedin';

export { isEmail } from '../shared/email';

/**
 * A person on a page is identified by a lead key: `email:<lowercased address>` or
 * `li:<canonical LinkedIn profile URL>`. Content scripts, the cache and the popup all speak keys.
 */
export type LeadKey = `email:${string}` | `li:${string}`;

/** Most keys one lookup message may carry (a content script splits larger screens). */
export const MAX_LOOKUP_KEYS = 200;

export function emailKey(email: string): LeadKey {
  return `email:${normalizeEmail(email)}`;
}

export function linkedinKey(url: string): LeadKey | null {
  const canonical = normalizeLinkedinUrl(url);
  return canonical ? `li:${canonical}` : null;
}

export function parseKey(key: LeadKey): { email: string } | { linkedinUrl: string } {
  return key.startsWith('email:') ? { email: key.slice(6) } : { linkedinUrl: key.slice(3) };
}

/** Every key under which a lead can be found on a page. */
export function keysOfLead(lead: Pick<LeadSummary, 'email' | 'linkedinUrl'>): LeadKey[] {
  const keys: LeadKey[] = [];
  if (lead.email) keys.push(emailKey(lead.email));
  const li = lead.linkedinUrl ? linkedinKey(lead.linkedinUrl) : null;
  if (li) keys.push(li);
  return keys;
}
