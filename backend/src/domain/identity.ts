import { z } from 'zod';

export type IdentityKind = 'email' | 'user' | 'visitor' | 'linkedin';
export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

const Email = z.email();

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** True for a string that is an email address once trimmed. */
export function isEmail(value: string): boolean {
  return Email.safeParse(value.trim()).success;
}

const LINKEDIN_PROFILE = /^\/in\/([^/?#]+)\/?$/;

/**
 * The canonical form of a LinkedIn profile URL: https://www.linkedin.com/in/<slug>, slug
 * lowercased, without query, hash or trailing slash. Country subdomains and http are accepted.
 * Returns null for anything that is not a profile URL.
 */
export function normalizeLinkedinUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(input.trim()) ? input.trim() : `https://${input.trim()}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return null;
  const match = LINKEDIN_PROFILE.exec(url.pathname);
  if (!match) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1]!).toLowerCase();
  } catch {
    return null;
  }
  return `https://www.linkedin.com/in/${encodeURIComponent(slug)}`;
}

export function identityId(key: IdentityKey): string {
  return `${key.kind}:${key.value}`;
}
