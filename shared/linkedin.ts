const LINKEDIN_PROFILE = /^\/in\/([^/?#]+)\/?$/;

/**
 * The canonical form of a LinkedIn profile URL: https://www.linkedin.com/in/<slug>, slug
 * decoded, lowercased and re-encoded, without query, hash or trailing slash. Country subdomains,
 * http and a missing scheme are accepted. Returns null for anything that is not a profile URL.
 * The backend stores this form and the extension builds its lookup keys from it, so the two
 * compare equal. No zod and no big lists here: the extension's content script imports it.
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
