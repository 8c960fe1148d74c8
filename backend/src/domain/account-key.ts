import { getDomain } from 'tldts';
import { emailDomain, emailDomainType } from '../../../shared/email-domains';
import type { AttributeValue } from './lead-record';

/** Which account a lead belongs to: one key per workspace, a domain or a company name. */
export interface AccountKey {
  /** `domain:acme.com` or `name:acme robotics`: unique per workspace. */
  key: string;
  domain: string | null;
  /** The company name as a person gave it, to name the account. */
  name: string | null;
}

/**
 * A lead's account, by the first of: an explicit `companyDomain` attribute (a domain, URL or
 * address), the registrable domain of a business email (jane@eu.acme.co.uk -> acme.co.uk), or the
 * `company` attribute's name. Free and disposable mail domains never form an account.
 */
export function accountKeyOf(email: string | null, attributes: Readonly<Record<string, AttributeValue>>): AccountKey | null {
  const company = stringValue(attributes.company);
  const explicit = stringValue(attributes.companyDomain);
  const domain = (explicit && businessDomain(explicit)) || (email && attributes.emailDomainType?.value === 'business' ? registrable(emailDomain(email)) : null);
  if (domain) return { key: `domain:${domain}`, domain, name: company };
  const name = company && companyNameKey(company);
  return name ? { key: `name:${name}`, domain: null, name: company } : null;
}

/** The registrable domain of a domain, URL or address that is not free or disposable mail; null otherwise. */
export function businessDomain(input: string): string | null {
  const trimmed = input.trim().toLowerCase();
  const domain = registrable(AN_ADDRESS.test(trimmed) ? emailDomain(trimmed) : trimmed);
  return domain && emailDomainType(`x@${domain}`) === 'business' ? domain : null;
}

/** An address, not a URL that has an @ in its path or query (medium.com/@acme). */
const AN_ADDRESS = /^[^\s/:@]+@[^\s/:@]+$/;

/**
 * The domain an organization registered, by the Public Suffix List with its private section:
 * acme.github.io and globex.github.io are two companies, not one github.io.
 */
function registrable(hostOrUrl: string | undefined): string | null {
  return hostOrUrl ? getDomain(hostOrUrl, { allowPrivateDomains: true }) : null;
}

const LEGAL_SUFFIX = /\s+(inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|bv|nv|plc|corp|corporation|co|company|pty|srl|spa|oy|ab|as)$/;

/** "Acme Robotics, Inc." and "ACME  robotics" are one company: case, punctuation and a legal suffix do not count. */
export function companyNameKey(name: string): string | null {
  const plain = name.normalize('NFKC').toLowerCase().replace(/[.,'’"()]/g, ' ').replace(/\s+/g, ' ').trim();
  const key = plain.replace(LEGAL_SUFFIX, '').trim();
  return key || null;
}

function stringValue(attribute: AttributeValue | undefined): string | null {
  return typeof attribute?.value === 'string' && attribute.value.trim() ? attribute.value.trim() : null;
}
