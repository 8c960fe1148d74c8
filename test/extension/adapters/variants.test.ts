import { describe, expect, it } from 'vitest';
import { GmailAdapter } from '../../../extension/adapters/gmail';
import { LinkedInAdapter } from '../../../extension/adapters/linkedin';
import { OutlookAdapter } from '../../../extension/adapters/outlook';
import { addressesInPersonText } from '../../../extension/adapters/person-text';
import type { Person } from '../../../extension/adapters/types';
import { mountFixture } from '../support/fixtures';

// The variant pages are written from public descriptions of each site's markup (see each
// fixture's comment), not from the adapters: what the adapters must find there.
const found = (people: Person[]) => people.map((p) => `${p.kind} ${p.key.replace(/^email:/, '')}`);

describe('Gmail variants', () => {
  it('with every class name scrambled and the reading pane split: rows and the open message, nothing from the body', () => {
    mountFixture('gmail', 'https://mail.google.com/mail/u/0/#inbox/FMfcgz', 'gmail-scrambled');
    const people = GmailAdapter.findPeople(document, location);
    expect(found(people)).toEqual([
      'thread alice@acme.example',
      'thread rep@ourco.example',
      'thread stranger@unknown.example',
      'row alice@acme.example',
      'row stranger@unknown.example',
      'row bob@acme.example',
    ]);
    // The body's crafted spans (one of them a perfect copy of Gmail's) give nobody.
    expect(people.filter((p) => p.kind === 'thread' && p.key === 'email:bob@acme.example')).toEqual([]);
  });
});

describe('Outlook variants', () => {
  it('new Outlook: a message list beside role="main", addresses only as visible text in the reading pane', () => {
    mountFixture('outlook', 'https://outlook.office.com/mail/inbox', 'outlook-new');
    const people = OutlookAdapter.findPeople(document, location);
    expect(found(people)).toEqual([
      'row carol@client.example',
      'row alice@acme.example',
      'row dana@ruiz.example',
      'thread carol@client.example',
      'thread alice@acme.example',
      'thread dana@ruiz.example',
    ]);
    const sender = people.find((p) => p.kind === 'thread')!;
    expect(sender.name).toBe('Carol Client');
    // Not the banner's account, not the crafted subject, row preview or body (all name bob or eve).
    expect(people.some((p) => /bob|eve|rep@/.test(p.key))).toBe(false);
  });

  it('Outlook.com: addresses only in the persona hover-card attributes', () => {
    mountFixture('outlook', 'https://outlook.live.com/mail/0/', 'outlook-live');
    expect(found(OutlookAdapter.findPeople(document, location))).toEqual([
      'row bob@acme.example',
      'row stranger@unknown.example',
      'thread bob@acme.example',
      'thread carol@client.example',
      'thread stranger@unknown.example',
    ]);
  });

  it('reads a person only from text shaped like one, never from a sentence or subject that mentions an address', () => {
    expect(addressesInPersonText('Dana Ruiz <Dana@Ruiz.example>')).toEqual(['dana@ruiz.example']);
    expect(addressesInPersonText('From: "Ruiz, Dana" <dana@ruiz.example>')).toEqual(['dana@ruiz.example']);
    expect(addressesInPersonText('To: Rep Ourco; Dan <dan@client.example>')).toEqual(['dan@client.example']);
    expect(addressesInPersonText('carol@client.example')).toEqual(['carol@client.example']);
    expect(addressesInPersonText('Please write to eve@evil.example today')).toEqual([]);
    expect(addressesInPersonText('Re: pricing <eve@evil.example> and more')).toEqual([]);
  });
});

describe('LinkedIn variants', () => {
  it('with every class name scrambled: the name heading, the headline after it, nobody from the feed', () => {
    mountFixture('linkedin', 'https://www.linkedin.com/in/jane-doe/', 'linkedin-scrambled');
    const people = LinkedInAdapter.findPeople(document, location);
    expect(people.map((p) => ({ key: p.key, anchor: p.anchor.localName, name: p.name, headline: p.headline }))).toEqual([
      { key: 'li:https://www.linkedin.com/in/jane-doe', anchor: 'h1', name: 'Jane Doe', headline: 'VP Sales at Globex' },
    ]);
  });

  it('with the name heading inside a block link: the badge goes inside the heading, on the name’s line', () => {
    mountFixture('linkedin', 'https://www.linkedin.com/in/jane-doe/', 'linkedin-link-h1');
    const [person] = LinkedInAdapter.findPeople(document, location);
    expect(person).toMatchObject({ place: 'append', name: 'Jane Doe', headline: 'VP Sales at Globex' });
    expect(person!.anchor.parentElement!.localName).toBe('a');
  });
});
