import type { LeadSummary } from '../shared';

/**
 * A person on a page is identified by a lead key: `email:<lowercased address>` or
 * `li:<canonical LinkedIn profile URL>`. Content scripts, the cache and the popup all speak keys.
 */
export type LeadKey = `email:${string}` | `li:${string}`;

/** Most keys one lookup message may carry (a content script splits larger screens). */
export const MAX_LOOKUP_KEYS = 200;

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[A-Za-z]{2,}$/;
const PROFILE_PATH = /^\/in\/([^/?#]+)\/?/;

export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}

export function emailKey(email: string): LeadKey {
  return `email:${email.trim().toLowerCase()}`;
}

/**
 * `https://www.linkedin.com/in/<slug>` for any profile URL (a subpage, query, hash, trailing
 * slash, country subdomain), else null. The slug is decoded, lowercased and re-encoded: the
 * backend's canonical form, so keys and stored URLs compare equal.
 */
export function canonicalLinkedinUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase();
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return null;
  const slug = PROFILE_PATH.exec(parsed.pathname)?.[1];
  if (!slug) return null;
  try {
    return `https://www.linkedin.com/in/${encodeURIComponent(decodeURIComponent(slug).toLowerCase())}`;
  } catch {
    return null;
  }
}

export function linkedinKey(url: string): LeadKey | null {
  const canonical = canonicalLinkedinUrl(url);
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
