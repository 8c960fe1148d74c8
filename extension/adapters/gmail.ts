import { emailKey, isEmail } from '../keys';
import type { Person, SiteAdapter } from './types';

// Gmail's class names are generated and change with its builds: nothing here reads them. What
// has stayed for years: `email`/`name` on people spans, `data-message-id` on messages and
// `role="row"` on mailbox rows.
const PEOPLE = 'span[email]';
const MESSAGE = '[data-message-id]';
const ROW = '[role="row"]';

/**
 * Gmail writes a person as a span whose text is their name (or "me", or the address), the same
 * as its `name` attribute. A span that says anything else is not Gmail's rendering of a person.
 */
function personOf(span: Element, kind: Person['kind']): Person | null {
  const email = span.getAttribute('email')?.trim() ?? '';
  if (!isEmail(email)) return null;
  const name = span.getAttribute('name')?.trim() || undefined;
  const text = span.textContent?.trim() ?? '';
  if (text !== name && text.toLowerCase() !== email.toLowerCase()) return null;
  return { key: emailKey(email), anchor: span, kind, ...(name ? { name } : {}) };
}

/**
 * A message's header comes before its body (the sender's HTML, never read: a crafted mail could
 * otherwise make us look up any address). The first person of a message is its sender, in the
 * header; the header is the table around that sender (Gmail lays headers out as a table), and
 * only people inside it count. Without such a table, only the sender counts.
 */
function headerPeople(message: Element): Element[] {
  const spans = [...message.querySelectorAll(PEOPLE)];
  const sender = spans[0];
  if (!sender) return [];
  const header = sender.closest('table');
  if (!header || !message.contains(header)) return [sender];
  return spans.filter((span) => header.contains(span));
}

export const GmailAdapter: SiteAdapter = {
  name: 'gmail',
  matches: (location) => location.hostname === 'mail.google.com',
  findPeople(root) {
    const people: Person[] = [];
    for (const message of root.querySelectorAll(MESSAGE)) {
      // A message nested in another (quoted thread views) is handled as its own message.
      if (message.parentElement?.closest(MESSAGE)) continue;
      for (const span of headerPeople(message)) {
        const person = personOf(span, 'thread');
        if (person) people.push(person);
      }
    }
    for (const span of root.querySelectorAll(`${ROW} ${PEOPLE}`)) {
      if (span.closest(MESSAGE)) continue;
      const person = personOf(span, 'row');
      if (person) people.push(person);
    }
    return people;
  },
};
