import { describe, expect, it } from 'vitest';
import { emailDomain, emailDomainType } from '../../shared/email-domains';

describe('emailDomainType', () => {
  it('classifies webmail as free, throwaway services as disposable, anything else as business', () => {
    expect(emailDomainType('ann@gmail.com')).toBe('free');
    expect(emailDomainType('ann@outlook.com')).toBe('free');
    expect(emailDomainType('ann@yahoo.co.uk')).toBe('free');
    expect(emailDomainType('ann@gmx.de')).toBe('free');
    expect(emailDomainType('x@mailinator.com')).toBe('disposable');
    expect(emailDomainType('x@guerrillamail.com')).toBe('disposable');
    expect(emailDomainType('ann@acme-industries.com')).toBe('business');
    expect(emailDomainType('ann@stripe.com')).toBe('business');
  });

  it('checks disposable before free: a domain on both lists is disposable', () => {
    // 33mail.com is on both lists (a free forwarding service used for throwaway addresses).
    expect(emailDomainType('x@33mail.com')).toBe('disposable');
  });

  it('counts subdomains of listed domains, and the disposable wildcard list', () => {
    expect(emailDomainType('x@eu.mailinator.com')).toBe('disposable');
    expect(emailDomainType('x@anything.33mail.com')).toBe('disposable');
    expect(emailDomainType('ann@mail.gmail.com')).toBe('free');
    expect(emailDomainType('ann@notgmail.com')).toBe('business');
  });

  it('does not let a listed country suffix (net.ua, edu.pl) swallow every domain under it', () => {
    expect(emailDomainType('ann@acme.net.ua')).toBe('business');
    expect(emailDomainType('ann@uw.edu.pl')).toBe('business');
  });

  it('ignores case, spaces and a trailing dot; returns undefined for what is not an address', () => {
    expect(emailDomainType('  Ann@GMAIL.COM. ')).toBe('free');
    expect(emailDomain('a@b@Acme.io')).toBe('acme.io');
    for (const x of ['', 'ann', 'ann@', '@gmail.com', 'ann@localhost', null, undefined]) expect(emailDomainType(x)).toBeUndefined();
  });
});
