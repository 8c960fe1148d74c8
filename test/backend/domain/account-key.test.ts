import { describe, expect, it } from 'vitest';
import { accountKeyOf, businessDomain, companyNameKey } from '../../../backend/src/domain/account-key';
import { withEmailDomainType } from '../../../backend/src/store/leads/lead-rows';
import type { AttributeValue } from '../../../backend/src/domain/lead-record';

/** A lead's attributes as the store keeps them, with the email's domain type derived as ingest derives it. */
function keyOf(email: string | null, values: Record<string, string> = {}) {
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) attributes[key] = { value, setBy: 'identify', setAt: 0 };
  return accountKeyOf(email, withEmailDomainType(attributes, email, 0));
}

describe('which account a lead is in', () => {
  it('is the registrable domain of a business address', () => {
    expect(keyOf('jane@acme.com')).toEqual({ key: 'domain:acme.com', domain: 'acme.com', name: null });
    expect(keyOf('jo@eu.sales.acme.co.uk')?.domain).toBe('acme.co.uk');
    expect(keyOf('Jo@ACME.COM.')?.key).toBe('domain:acme.com');
  });

  it('is never a free or disposable mail domain', () => {
    for (const email of ['jane@gmail.com', 'jane@yahoo.co.uk', 'jane@outlook.com', 'x@mailinator.com', 'x@guerrillamail.com']) expect(keyOf(email)).toBeNull();
  });

  it('is the company a free-mail lead gives, by a name that ignores case, punctuation and legal form', () => {
    const key = keyOf('jane@gmail.com', { company: 'Acme Robotics, Inc.' });
    expect(key).toEqual({ key: 'name:acme robotics', domain: null, name: 'Acme Robotics, Inc.' });
    for (const spelling of ['ACME  robotics', 'Acme Robotics Inc', 'acme robotics ltd.', 'Acme Robotics GmbH']) expect(companyNameKey(spelling)).toBe('acme robotics');
    expect(companyNameKey('Inc.')).toBe('inc');
    expect(keyOf(null, { company: '   ' })).toBeNull();
  });

  it('follows an explicit companyDomain over the address, and names the account by its company', () => {
    expect(keyOf('jane@acme-consulting.com', { companyDomain: 'https://www.acme.com/about', company: 'Acme' })).toEqual({ key: 'domain:acme.com', domain: 'acme.com', name: 'Acme' });
    // An explicit free-mail domain forms nothing: the address's own domain stands.
    expect(keyOf('jane@acme.com', { companyDomain: 'gmail.com' })?.key).toBe('domain:acme.com');
  });

  it('reads a domain from a domain, a URL or an address, and refuses what is not one', () => {
    expect(['acme.com', 'https://shop.acme.com/x?y=1', 'sales@acme.com', ' ACME.com '].map(businessDomain)).toEqual(['acme.com', 'acme.com', 'acme.com', 'acme.com']);
    expect(['localhost', 'not a domain', 'gmail.com', 'hotmail.fr', ''].map(businessDomain)).toEqual([null, null, null, null, null]);
    // An @ in a URL's path or query is not an address.
    expect(businessDomain('https://medium.com/@acme')).toBe('medium.com');
    expect(businessDomain('https://acme.com/signup?email=jo@gmail.com')).toBe('acme.com');
  });

  it('keeps companies on a shared host apart (the private part of the Public Suffix List)', () => {
    expect(['acme.github.io', 'https://globex.herokuapp.com/'].map(businessDomain)).toEqual(['acme.github.io', 'globex.herokuapp.com']);
    expect(keyOf('jo@team.acme.github.io')?.domain).toBe('acme.github.io');
  });
});
