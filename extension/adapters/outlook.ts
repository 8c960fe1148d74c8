import { emailKey } from '../keys';
import type { Person, SiteAdapter } from './types';

// Outlook on the web has no `email` attribute: addresses sit in persona titles
// ("alice@example.com"), aria-labels ("From: Alice Example <alice@example.com>") and mailto links.
const CANDIDATES = '[title*="@"], [aria-label*="@"], a[href^="mailto:" i]';
// Only the app's own UI: never the message bodies (sender-controlled HTML).
const SCOPE = '[role="main"]';
const MESSAGE_BODY = '[aria-label="Message body"], [id^="UniqueMessageBody"]';
const ROW = '[role="option"], [role="row"]';
const ADDRESS = /[A-Z0-9._%+'-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;

function addressesOf(element: Element): string[] {
  const href = element.getAttribute('href') ?? '';
  const texts = [element.getAttribute('title'), element.getAttribute('aria-label'), href.toLowerCase().startsWith('mailto:') ? href.slice(7).split('?')[0] : null];
  const found = new Set<string>();
  for (const text of texts) for (const match of text?.match(ADDRESS) ?? []) found.add(match.toLowerCase());
  return [...found];
}

function nameOf(element: Element): string | undefined {
  const text = element.textContent?.replace(/<?[^\s<>]+@[^\s<>]+>?/g, '').trim();
  return text ? text.slice(0, 200) : undefined;
}

/**
 * The innermost element carrying an address anchors its badge: a persona button often says the
 * address in its aria-label and again in a nested span's title. Returns, per element, the
 * addresses a descendant already carries.
 */
function coveredByDescendants(owners: Map<Element, string[]>, scope: Element): Map<Element, Set<string>> {
  const covered = new Map<Element, Set<string>>();
  for (const [element, addresses] of owners) {
    for (let up = element.parentElement; up && up !== scope.parentElement; up = up.parentElement) {
      if (!owners.has(up)) continue;
      const set = covered.get(up) ?? new Set<string>();
      addresses.forEach((a) => set.add(a));
      covered.set(up, set);
    }
  }
  return covered;
}

export const OutlookAdapter: SiteAdapter = {
  name: 'outlook',
  matches: (location) => location.hostname === 'outlook.office.com' || location.hostname === 'outlook.live.com',
  findPeople(root) {
    const people: Person[] = [];
    for (const scope of root.querySelectorAll(SCOPE)) {
      const candidates = [...scope.querySelectorAll(CANDIDATES)].filter((el) => !el.closest(MESSAGE_BODY));
      const owners = new Map<Element, string[]>(candidates.map((el) => [el, addressesOf(el)]));
      const covered = coveredByDescendants(owners, scope);
      for (const [element, addresses] of owners) {
        for (const address of addresses) {
          if (covered.get(element)?.has(address)) continue;
          const name = nameOf(element);
          people.push({ key: emailKey(address), anchor: element, kind: element.closest(ROW) ? 'row' : 'thread', ...(name ? { name } : {}) });
        }
      }
    }
    return people;
  },
};
