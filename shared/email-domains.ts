/**
 * Classifies an email's domain as business, free (webmail) or disposable, from maintained lists:
 * `free-email-domains` (~14k, vendored in shared/data/) and `disposable-email-domains` (~121k, plus its wildcard list).
 * Node-side only: the lists are megabytes, so the scoring engine and the extension never import
 * this module; the backend stores the result as the lead's `emailDomainType` attribute.
 */
import disposableDomains from 'disposable-email-domains/index.json' with { type: 'json' };
import disposableWildcards from 'disposable-email-domains/wildcard.json' with { type: 'json' };
import freeDomains from './data/free-email-domains.json' with { type: 'json' };
import type { EmailDomainType } from './schemas/attributes';

let lists: { disposable: Set<string>; free: Set<string> } | undefined;

function load(): NonNullable<typeof lists> {
  lists ??= {
    disposable: new Set([...disposableDomains, ...disposableWildcards].map((d) => d.toLowerCase())),
    free: new Set(freeDomains.map((d) => d.toLowerCase())),
  };
  return lists;
}

/**
 * Country second-level suffixes (net.ua, edu.pl, co.cc) sit on the lists too; a listed one matches
 * only itself, or every company under it would be classified with it.
 */
const PUBLIC_SUFFIX = /^(co|com|org|net|ac|gov|edu|ne|or|go)\.[a-z]{2}$/;

/** Whether the domain, or a parent domain that is not a public suffix, is on the list. */
function listed(list: Set<string>, domain: string): boolean {
  if (list.has(domain)) return true;
  for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
    const parent = domain.slice(dot + 1);
    if (!parent.includes('.')) return false;
    if (!PUBLIC_SUFFIX.test(parent) && list.has(parent)) return true;
  }
  return false;
}

/** The domain part of an address, lowercased, without a trailing dot; undefined when there is none. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const domain = email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
  return /^[^\s@.]+(\.[^\s@.]+)+$/u.test(domain) ? domain : undefined;
}

/**
 * 'disposable' if the domain or a parent domain is on the disposable list (checked first: many
 * throwaway services are also listed as free), else 'free' if on the free list, else 'business'.
 * undefined for something that is not an email address.
 */
export function emailDomainType(email: string | null | undefined): EmailDomainType | undefined {
  const domain = email ? emailDomain(email) : undefined;
  if (!domain) return undefined;
  const { disposable, free } = load();
  if (listed(disposable, domain)) return 'disposable';
  if (listed(free, domain)) return 'free';
  return 'business';
}
