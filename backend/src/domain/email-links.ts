import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeEmail } from '../../../shared/email';

export interface EmailLinkParams {
  siteKey: string;
  email: string;
  campaign?: string;
}

type Kind = 'open' | 'click';

/** What is signed: every parameter, so none can be changed, and the kind, so an open signature cannot sign a click. */
function signature(secret: string, kind: Kind, p: EmailLinkParams, url = ''): string {
  const canonical = JSON.stringify([kind, p.siteKey, normalizeEmail(p.email), p.campaign ?? '', url]);
  return createHmac('sha256', secret).update(canonical).digest('base64url');
}

export function verifyEmailLink(secret: string, kind: Kind, p: EmailLinkParams, sig: string, url?: string): boolean {
  const expected = Buffer.from(signature(secret, kind, p, url));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The open pixel and (with a target) the click redirect for one recipient, signed with the workspace's secret. */
export function emailLinks(publicUrl: string, secret: string, p: EmailLinkParams, target?: string): { openPixelUrl: string; clickUrl?: string } {
  const base = publicUrl.replace(/\/+$/, '');
  const query = (kind: Kind, url?: string) => {
    const q = new URLSearchParams({ s: p.siteKey, e: normalizeEmail(p.email) });
    if (p.campaign) q.set('c', p.campaign);
    if (url !== undefined) q.set('u', url);
    q.set('sig', signature(secret, kind, p, url));
    return q.toString();
  };
  return {
    openPixelUrl: `${base}/email/open?${query('open')}`,
    ...(target === undefined ? {} : { clickUrl: `${base}/email/click?${query('click', target)}` }),
  };
}
