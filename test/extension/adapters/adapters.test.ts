import { beforeEach, describe, expect, it } from 'vitest';
import { GmailAdapter } from '../../../extension/adapters/gmail';
import { LinkedInAdapter } from '../../../extension/adapters/linkedin';
import { OutlookAdapter } from '../../../extension/adapters/outlook';
import { adapterFor } from '../../../extension/adapters/registry';
import type { Person } from '../../../extension/adapters/types';
import { mountFixture, setUrl, showGmailView } from '../support/fixtures';

const summary = (people: Person[]) => people.map((p) => ({ key: p.key, kind: p.kind, anchor: p.anchor.localName, name: p.name }));

describe('adapter registry', () => {
  it('picks the adapter by host, and none elsewhere', () => {
    expect(adapterFor(new URL('https://mail.google.com/mail/u/0/'))?.name).toBe('gmail');
    expect(adapterFor(new URL('https://outlook.office.com/mail/'))?.name).toBe('outlook');
    expect(adapterFor(new URL('https://outlook.live.com/mail/0/'))?.name).toBe('outlook');
    expect(adapterFor(new URL('https://www.linkedin.com/feed/'))?.name).toBe('linkedin');
    expect(adapterFor(new URL('https://example.com/'))).toBeUndefined();
  });
});

describe('GmailAdapter', () => {
  beforeEach(() => mountFixture('gmail'));

  it('finds every sender of every inbox row, by the email attribute, lowercased', () => {
    showGmailView('inbox');
    expect(summary(GmailAdapter.findPeople(document, location))).toEqual([
      { key: 'email:alice@acme.example', kind: 'row', anchor: 'span', name: 'Alice Example' },
      { key: 'email:bob@acme.example', kind: 'row', anchor: 'span', name: 'Bob Builder' },
      { key: 'email:newsletter@news.example', kind: 'row', anchor: 'span', name: 'News' },
      { key: 'email:stranger@unknown.example', kind: 'row', anchor: 'span', name: 'Sam Stranger' },
    ]);
  });

  it('finds senders and recipients of every message in an open thread, never people in message bodies', () => {
    showGmailView('thread');
    const people = GmailAdapter.findPeople(document, location);
    expect(people.map((p) => p.key)).toEqual([
      'email:alice@acme.example',
      'email:rep@ourco.example',
      'email:bob@acme.example',
      'email:rep@ourco.example',
      'email:alice@acme.example',
    ]);
    expect(people.every((p) => p.kind === 'thread' && p.anchor.hasAttribute('email'))).toBe(true);
    expect(people.some((p) => p.key.includes('evil'))).toBe(false);
  });

  it('skips attributes that are not addresses', () => {
    showGmailView('inbox');
    document.querySelector('span[email]')!.setAttribute('email', 'not an address');
    expect(GmailAdapter.findPeople(document, location).map((p) => p.key)).not.toContain('email:not an address');
  });
});

describe('OutlookAdapter', () => {
  beforeEach(() => mountFixture('outlook'));

  it('finds the sender and recipients of the open message from titles, aria-labels and mailto links', () => {
    const thread = OutlookAdapter.findPeople(document, location).filter((p) => p.kind === 'thread');
    expect(thread.map((p) => p.key)).toEqual(['email:carol@client.example', 'email:rep@ourco.example', 'email:dan@client.example', 'email:erin@client.example']);
  });

  it('anchors each badge on the innermost element carrying the address', () => {
    const carol = OutlookAdapter.findPeople(document, location).find((p) => p.kind === 'thread' && p.key === 'email:carol@client.example')!;
    expect(carol.anchor.getAttribute('title')).toBe('carol@client.example');
    expect(carol.name).toBe('Carol Client');
  });

  it('finds senders in message list rows', () => {
    const rows = OutlookAdapter.findPeople(document, location).filter((p) => p.kind === 'row');
    expect(rows.map((p) => p.key)).toEqual(['email:carol@client.example', 'email:stranger@unknown.example']);
  });

  it('ignores the message body and the app chrome outside the main region', () => {
    const keys = OutlookAdapter.findPeople(document, location).map((p) => p.key);
    expect(keys.filter((k) => k.includes('evil'))).toEqual([]);
    expect(OutlookAdapter.findPeople(document, location).some((p) => p.anchor.closest('[role="banner"]'))).toBe(false);
  });
});

describe('LinkedInAdapter', () => {
  it('identifies the person by the profile URL and anchors on the name heading', () => {
    mountFixture('linkedin', 'https://www.linkedin.com/in/Jane-Doe/?trk=feed');
    const people = LinkedInAdapter.findPeople(document, location);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ key: 'li:https://www.linkedin.com/in/jane-doe', kind: 'profile', place: 'append', name: 'Jane Doe', headline: 'VP Sales at Globex' });
    expect(people[0]!.anchor.localName).toBe('h1');
  });

  it('finds nobody on pages that are not profiles, and follows single-page navigation', () => {
    mountFixture('linkedin', 'https://www.linkedin.com/feed/');
    expect(LinkedInAdapter.findPeople(document, location)).toEqual([]);
    setUrl('https://www.linkedin.com/in/john-roe/');
    document.getElementById('name')!.textContent = 'John Roe';
    expect(LinkedInAdapter.findPeople(document, location).map((p) => [p.key, p.name])).toEqual([['li:https://www.linkedin.com/in/john-roe', 'John Roe']]);
    setUrl('https://www.linkedin.com/in/John-Roe/details/experience/?trk=x');
    expect(LinkedInAdapter.findPeople(document, location).map((p) => p.key)).toEqual(['li:https://www.linkedin.com/in/john-roe']);
  });

  it('reads nothing but the heading and the headline', () => {
    mountFixture('linkedin');
    const [person] = LinkedInAdapter.findPeople(document, location);
    // The About section holds an email address; the adapter must not pick it up.
    expect(JSON.stringify({ ...person, anchor: undefined })).not.toContain('jane@globex.example');
  });
});
