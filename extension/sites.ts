/**
 * The sites the extension reads, in one place: the content script's `matches`, the
 * background's sender check and the tabs it pushes updates to all come from this list.
 */
export const SITE_ORIGINS = [
  'https://mail.google.com',
  'https://outlook.office.com',
  'https://outlook.live.com',
  'https://www.linkedin.com',
] as const;

export const SITE_MATCHES = SITE_ORIGINS.map((origin) => `${origin}/*`);

/** True when `url` is a page on one of the sites above (exact origin, https only). */
export function isSiteUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return (SITE_ORIGINS as readonly string[]).includes(new URL(url).origin);
  } catch {
    return false;
  }
}
