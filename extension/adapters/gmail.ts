import { emailKey, isEmail } from '../keys';
import type { Person, SiteAdapter } from './types';

// Gmail's class names are obfuscated and change; the `email`/`name` attributes on people,
// `data-message-id` on messages and `role="row"` on mailbox rows have been stable for years.
const MESSAGE_PEOPLE = '[data-message-id] span[email]';
const ROW_PEOPLE = 'tr[role="row"] span[email]';
// A message body is the sender's HTML: never take people from it (a crafted mail could
// otherwise make us look up any address). Gmail marks bodies with these classes.
const MESSAGE_BODY = '.a3s, .ii.gt';

function personOf(span: Element, kind: Person['kind']): Person | null {
  const email = span.getAttribute('email')?.trim() ?? '';
  if (!isEmail(email)) return null;
  const name = span.getAttribute('name')?.trim() || undefined;
  return { key: emailKey(email), anchor: span, kind, ...(name ? { name } : {}) };
}

export const GmailAdapter: SiteAdapter = {
  name: 'gmail',
  matches: (location) => location.hostname === 'mail.google.com',
  findPeople(root) {
    const people: Person[] = [];
    for (const span of root.querySelectorAll(MESSAGE_PEOPLE)) {
      if (span.closest(MESSAGE_BODY)) continue;
      const person = personOf(span, 'thread');
      if (person) people.push(person);
    }
    for (const span of root.querySelectorAll(ROW_PEOPLE)) {
      const person = personOf(span, 'row');
      if (person) people.push(person);
    }
    return people;
  },
};
