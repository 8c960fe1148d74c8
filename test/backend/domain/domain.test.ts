import { describe, expect, it } from 'vitest';
import { emailLinks, verifyEmailLink } from '../../../backend/src/domain/email-links';
import { identityKeysOf, prepareEvents } from '../../../backend/src/domain/events';
import { normalizeLinkedinUrl } from '../../../shared/linkedin';
import { RateLimiter } from '../../../backend/src/domain/rate-limiter';
import { decodeCursor, encodeCursor } from '../../../backend/src/leads/cursor';
import { event, NOW } from '../support/app';

describe('identity normalization', () => {
  it('normalizes LinkedIn profile URLs and refuses anything else', () => {
    const canonical = 'https://www.linkedin.com/in/ann-lee';
    for (const url of ['https://www.linkedin.com/in/ann-lee', 'http://linkedin.com/in/Ann-Lee/', 'de.linkedin.com/in/ann-lee?trk=abc', 'https://www.linkedin.com/in/ANN-LEE#x']) {
      expect(normalizeLinkedinUrl(url)).toBe(canonical);
    }
    expect(normalizeLinkedinUrl('https://www.linkedin.com/in/Jos%C3%A9')).toBe('https://www.linkedin.com/in/jos%C3%A9');
    for (const bad of ['https://www.linkedin.com/company/acme', 'https://linkedin.evil.test/in/x', 'https://notlinkedin.com/in/x', 'https://www.linkedin.com/in/a/b', 'not a url', 'https://www.linkedin.com/in/%E0%A4%A']) {
      expect(normalizeLinkedinUrl(bad)).toBeNull();
    }
  });

  it('reads who an event names', () => {
    const [identify] = prepareEvents([event({ type: 'identify', anonymousId: 'v', userId: 'u-1', traits: { email: 'A@b.co' } })], NOW);
    expect(identityKeysOf(identify!)).toEqual({ emails: [{ kind: 'email', value: 'a@b.co' }], ids: [{ kind: 'user', value: 'u-1' }, { kind: 'visitor', value: 'v' }] });
    const [track] = prepareEvents([event({ type: 'track', event: 'X', anonymousId: undefined, userId: 'B@b.co' })], NOW);
    expect(identityKeysOf(track!)).toEqual({ emails: [{ kind: 'email', value: 'b@b.co' }], ids: [] });
  });
});

describe('prepareEvents', () => {
  it("removes the client's clock skew and never dates an event after it arrived", () => {
    const receivedAt = NOW;
    const skewed = prepareEvents([event({ timestamp: new Date(NOW + 3_600_000 - 5_000).toISOString() })], receivedAt, new Date(NOW + 3_600_000).toISOString());
    expect(skewed[0]!.at).toBe(NOW - 5_000);
    const future = prepareEvents([event({ timestamp: new Date(NOW + 60_000).toISOString() })], receivedAt);
    expect(future[0]!.at).toBe(NOW);
  });

  it('scores page calls by their page and names every event as the engine does', () => {
    const [page, track] = prepareEvents([event({ context: { page: { path: '/pricing', url: 'https://a.test/pricing' } }, properties: { path: '/override' } }), event({ type: 'track', event: 'Demo Requested' })], NOW);
    expect(page).toMatchObject({ name: 'Page Viewed', properties: { path: '/override', url: 'https://a.test/pricing' } });
    expect(track!.name).toBe('Demo Requested');
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('is off at 0 requests per second', () => {
    const limiter = new RateLimiter({ perSecond: 0, burst: 0 }, () => 0);
    for (let i = 0; i < 100; i++) expect(limiter.take('a')).toBe(0);
  });
});

describe('email link signatures', () => {
  const params = { siteKey: 'pk_1', email: 'Ann@Acme.test', campaign: 'c1' };
  it('verify with the secret they were made with, for the kind and parameters they were made for', () => {
    const { clickUrl } = emailLinks('https://ls.test/', 'secret', params, 'https://a.test/x');
    const url = new URL(clickUrl!);
    expect(url.origin + url.pathname).toBe('https://ls.test/email/click');
    const sig = url.searchParams.get('sig')!;
    expect(verifyEmailLink('secret', 'click', params, sig, 'https://a.test/x')).toBe(true);
    expect(verifyEmailLink('secret', 'click', { ...params, email: 'ann@acme.test' }, sig, 'https://a.test/x')).toBe(true);
    expect(verifyEmailLink('other', 'click', params, sig, 'https://a.test/x')).toBe(false);
    expect(verifyEmailLink('secret', 'click', params, sig, 'https://a.test/y')).toBe(false);
    expect(verifyEmailLink('secret', 'open', params, sig)).toBe(false);
    expect(verifyEmailLink('secret', 'click', { ...params, campaign: undefined }, sig, 'https://a.test/x')).toBe(false);
    expect(verifyEmailLink('secret', 'click', params, `${sig}x`, 'https://a.test/x')).toBe(false);
  });
});

describe('timeline cursor', () => {
  it('round-trips and refuses forgeries', () => {
    expect(decodeCursor(encodeCursor({ at: NOW, id: 42 }))).toEqual({ at: NOW, id: 42 });
    expect(() => decodeCursor('garbage!')).toThrow(/cursor/);
  });
});
