import { emailKey } from '../keys';
import { addressesInPersonText, addressIn } from './person-text';
import type { Person, SiteAdapter } from './types';

// Outlook on the web (old OWA, new Outlook, Outlook.com) has no `email` attribute and no stable
// class names. A person's address is in one of: a persona `title` or `aria-label`
// ("From: Alice <alice@example.com>"), a `mailto:` link, the persona hover card's target id, or
// only the visible text ("Alice Example <alice@example.com>"). Where the message list and the
// reading pane sit (inside role="main" or beside it) differs between versions, so the whole page
// is read except the parts below.
const ATTRIBUTE_CANDIDATES = '[title*="@"], [aria-label*="@"], a[href^="mailto:" i], [data-lpc-hover-target-id*="@"]';
/** App chrome (the account button, folders, pop-ups) and text written by others or by the user. */
const EXCLUDED = [
  '[role="banner"]',
  '[role="navigation"]',
  '[role="search"]',
  '[role="dialog"]',
  '[role="menu"]',
  '[role="tooltip"]',
  // Message bodies are the sender's HTML: never read (a crafted mail could make us look anyone up).
  '[aria-label="Message body"]',
  '[id^="UniqueMessageBody"]',
  '[role="document"]',
  '[contenteditable="true"]',
].join(', ');
const ROW = '[role="option"], [role="row"]';
/**
 * Visible text is read only in message headers: a row's text includes the body's preview line
 * and the subject, a heading is the subject, both written by the sender.
 */
const NO_TEXT = `${ROW}, [role="heading"], h1, h2, h3, h4, h5, h6`;
/** How far up an "<address>" text may be from a persona that already names that address. */
const SAME_PERSON_LEVELS = 3;

function attributeAddresses(element: Element): string[] {
  const found = new Set<string>([...addressesInPersonText(element.getAttribute('title')), ...addressesInPersonText(element.getAttribute('aria-label'))]);
  const href = element.getAttribute('href') ?? '';
  if (/^mailto:/i.test(href)) {
    const address = addressIn(href.slice(7).split('?')[0]);
    if (address) found.add(address);
  }
  const hoverTarget = addressIn(element.getAttribute('data-lpc-hover-target-id'));
  if (hoverTarget) found.add(hoverTarget);
  return [...found];
}

/** The few subtrees never read; found once per scan, so each candidate costs a few `contains`. */
function excludedRoots(root: ParentNode): (node: Node) => boolean {
  const roots = [...root.querySelectorAll(EXCLUDED)];
  return (node) => roots.some((excluded) => excluded.contains(node));
}

/** Elements whose own text names people, with those addresses; in document order. */
function textOwners(root: ParentNode, excluded: (node: Node) => boolean): [Element, string[]][] {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root as Node, 4 /* NodeFilter.SHOW_TEXT */);
  const owners: [Element, string[]][] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node as Text).data;
    if (!text.includes('@')) continue;
    const parent = node.parentElement;
    if (!parent || parent.closest(NO_TEXT) || excluded(parent)) continue;
    const addresses = addressesInPersonText(text);
    if (addresses.length) owners.push([parent, addresses]);
  }
  return owners;
}

/** "Carol <carol@x>" shown next to a persona that already says carol@x is the same person. */
function nearPersonWith(element: Element, address: string, byAddress: Map<string, Element[]>): boolean {
  const personas = byAddress.get(address) ?? [];
  let up: Element | null = element;
  for (let level = 0; up && level <= SAME_PERSON_LEVELS; level++, up = up.parentElement) {
    const ancestor: Element = up;
    if (personas.some((persona) => persona !== element && ancestor.contains(persona))) return true;
  }
  return false;
}

/** Merges two lists already in document order into one. */
function mergeInOrder<T>(a: [Element, T][], b: [Element, T][]): [Element, T][] {
  const merged: [Element, T][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(a[i]![0].compareDocumentPosition(b[j]![0]) & 4 /* FOLLOWING */ ? a[i++]! : b[j++]!);
  return [...merged, ...a.slice(i), ...b.slice(j)];
}

/** Every element that names people (by attributes or visible text), merged per element, in document order. */
function owners(root: ParentNode): Map<Element, string[]> {
  const excluded = excludedRoots(root);
  const byAttributes: [Element, string[]][] = [];
  const byAddress = new Map<string, Element[]>();
  for (const element of root.querySelectorAll(ATTRIBUTE_CANDIDATES)) {
    const addresses = attributeAddresses(element);
    if (!addresses.length || excluded(element)) continue;
    byAttributes.push([element, addresses]);
    for (const address of addresses) {
      const elements = byAddress.get(address);
      if (elements) elements.push(element);
      else byAddress.set(address, [element]);
    }
  }
  const byText = textOwners(root, excluded).flatMap(([element, addresses]): [Element, string[]][] => {
    const fresh = addresses.filter((address) => !nearPersonWith(element, address, byAddress));
    return fresh.length ? [[element, fresh]] : [];
  });
  const result = new Map<Element, string[]>();
  for (const [element, addresses] of mergeInOrder(byAttributes, byText)) result.set(element, [...new Set([...(result.get(element) ?? []), ...addresses])]);
  return result;
}

/** Per element, the addresses a descendant already carries (the innermost element anchors the badge). */
function coveredByDescendants(owners: Map<Element, string[]>): Map<Element, Set<string>> {
  const covered = new Map<Element, Set<string>>();
  for (const [element, addresses] of owners) {
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (!owners.has(up)) continue;
      const set = covered.get(up) ?? new Set<string>();
      addresses.forEach((a) => set.add(a));
      covered.set(up, set);
    }
  }
  return covered;
}

function nameOf(element: Element): string | undefined {
  const text = element.textContent?.replace(/<?[^\s<>]+@[^\s<>]+>?/g, '').trim();
  return text ? text.slice(0, 200) : undefined;
}

export const OutlookAdapter: SiteAdapter = {
  name: 'outlook',
  matches: (location) => location.hostname === 'outlook.office.com' || location.hostname === 'outlook.live.com',
  findPeople(root) {
    const people: Person[] = [];
    const found = owners(root);
    const covered = coveredByDescendants(found);
    for (const [element, addresses] of found) {
      for (const address of addresses) {
        if (covered.get(element)?.has(address)) continue;
        const name = nameOf(element);
        people.push({ key: emailKey(address), anchor: element, kind: element.closest(ROW) ? 'row' : 'thread', ...(name ? { name } : {}) });
      }
    }
    return people;
  },
};
