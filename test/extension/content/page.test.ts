import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GmailAdapter } from '../../../extension/adapters/gmail';
import { LinkedInAdapter } from '../../../extension/adapters/linkedin';
import { OutlookAdapter } from '../../../extension/adapters/outlook';
import type { SiteAdapter } from '../../../extension/adapters/types';
import { BADGE_TAG, CARD_TAG } from '../../../extension/content/hosts';
import { handleContentMessage } from '../../../extension/content/handle-message';
import { BadgePage } from '../../../extension/content/page';
import { URL_POLL_MS } from '../../../extension/content/url-watch';
import type { VisibilityFactory } from '../../../extension/content/visibility';
import type { LeadKey } from '../../../extension/keys';
import type { LookupAnswer } from '../../../extension/protocol';
import { addGmailRows, mountFixture, nextFrame, settle, setUrl, showGmailView, type Site } from '../support/fixtures';
import { makeLead } from '../support/leads';

const alice = makeLead({ id: 'alice', email: 'alice@acme.example', name: 'Alice Example', score: 81.6, tier: 'Hot', grade: 'A' });
const bob = makeLead({ id: 'bob', email: 'bob@acme.example', name: 'Bob Builder', score: 45, tier: 'Warm', grade: 'B', stage: 'Prospect' });
const carol = makeLead({ id: 'carol', email: 'carol@client.example', name: 'Carol Client', score: 12, tier: 'Cold', grade: 'C' });
const jane = makeLead({ id: 'jane', email: 'jane@globex.example', name: 'Jane Doe', linkedinUrl: 'https://www.linkedin.com/in/jane-doe' });

/** happy-dom has no layout: tests say which slots are near the screen. */
function fakeVisibility(nearAtFirst = true) {
  const near = new Set<Element>();
  let notify: (element: Element) => void = () => {};
  const factory: VisibilityFactory = (onNear) => {
    notify = onNear;
    return {
      observe: (element) => {
        if (nearAtFirst) near.add(element);
      },
      unobserve: (element) => near.delete(element),
      isNear: (element) => near.has(element),
      disconnect: () => near.clear(),
    };
  };
  return {
    factory,
    scrollIntoView: (element: Element) => {
      near.add(element);
      notify(element);
    },
  };
}

/** Stands in for the background: answers from a table, records every lookup message. */
function fakeBackground(leads = [alice, bob, carol, jane]) {
  const known = new Map<LeadKey, (typeof leads)[number]>();
  for (const lead of leads) {
    if (lead.email) known.set(`email:${lead.email}`, lead);
    if (lead.linkedinUrl) known.set(`li:${lead.linkedinUrl}`, lead);
  }
  const calls: LeadKey[][] = [];
  const tagged: string[] = [];
  return {
    calls,
    tagged,
    lookup: async (keys: LeadKey[]) => {
      calls.push(keys);
      return Object.fromEntries(keys.map((k) => [k, known.get(k) ?? null])) as LookupAnswer;
    },
    openTagger: (id: string) => void tagged.push(id),
    visibility: fakeVisibility().factory,
  };
}

const ADAPTERS: Record<Site, SiteAdapter> = { gmail: GmailAdapter, outlook: OutlookAdapter, linkedin: LinkedInAdapter };
let page: BadgePage | undefined;

function start(site: Site, background = fakeBackground()) {
  page = new BadgePage(ADAPTERS[site], background);
  page.start();
  return background;
}

/** The Gmail inbox with its badges drawn. */
async function showGmailInbox(): Promise<void> {
  mountFixture('gmail');
  showGmailView('inbox');
  start('gmail');
  await nextFrame();
  await settle();
}

const hosts = () => [...document.querySelectorAll(BADGE_TAG)] as HTMLElement[];
const buttons = () => hosts().flatMap((h) => [...(h.shadowRoot?.querySelectorAll('button') ?? [])]);
const labels = () => buttons().map((b) => b.getAttribute('aria-label'));
const cardRoot = () => document.querySelector(CARD_TAG)?.shadowRoot;
const card = () => cardRoot()?.querySelector('[role="dialog"]') as HTMLElement | null | undefined;

afterEach(() => {
  page?.stop();
  page = undefined;
});

describe('badges in Gmail', () => {
  beforeEach(() => mountFixture('gmail'));

  it('puts a badge next to each known lead in the inbox, after one lookup for the whole screen', async () => {
    showGmailView('inbox');
    const background = start('gmail');
    await nextFrame();
    await settle();
    expect(background.calls).toEqual([['email:alice@acme.example', 'email:bob@acme.example', 'email:newsletter@news.example', 'email:stranger@unknown.example']]);
    expect(labels()).toEqual([
      'leadscore: Alice Example, score 82, Hot, grade A. Show details',
      'leadscore: Bob Builder, score 45, Warm, grade B. Show details',
    ]);
    const aliceHost = hosts().find((h) => h.shadowRoot?.textContent?.includes('82'))!;
    expect(aliceHost.previousElementSibling?.getAttribute('email')).toBe('alice@acme.example');
  });

  it('reserves a fixed-size slot in the same frame a person appears, before the lookup answers', async () => {
    showGmailView('inbox');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const background = fakeBackground();
    start('gmail', { ...background, lookup: async (keys) => (await gate, background.lookup(keys)) });
    await nextFrame();
    expect(hosts()).toHaveLength(4);
    const sizes = hosts().map((h) => [h.style.getPropertyValue('width'), h.style.getPropertyValue('height'), h.style.getPropertyValue('display')]);
    expect(sizes.every(([width]) => width === '38px')).toBe(true);
    release();
    await settle();
    // A lead's badge appears inside its slot without changing it; people who are not leads
    // (newsletter, stranger) give the width back, so no gap stays next to their names.
    expect(hosts().map((h) => [h.style.getPropertyValue('width'), h.style.getPropertyValue('height'), h.style.getPropertyValue('display')])).toEqual([
      sizes[0],
      sizes[1],
      ['0px', '18px', 'inline-block'],
      ['0px', '18px', 'inline-block'],
    ]);
    expect(sizes[0]).toEqual(['38px', '18px', 'inline-block']);
    expect(labels()).toHaveLength(2);
  });

  it('gives a slot no width when the backend cannot be reached', async () => {
    showGmailView('inbox');
    start('gmail', { ...fakeBackground(), lookup: async () => Promise.reject(new Error('unreachable')) });
    await nextFrame();
    await settle();
    expect(hosts().map((h) => h.style.getPropertyValue('width'))).toEqual(['0px', '0px', '0px', '0px']);
  });

  it('badges rows added later, with one observer and one lookup per frame however many mutations', async () => {
    showGmailView('inbox');
    const observers: MutationObserver[] = [];
    const Original = window.MutationObserver;
    window.MutationObserver = globalThis.MutationObserver = class extends Original {
      constructor(callback: MutationCallback) {
        super(callback);
        observers.push(this);
      }
    };
    try {
      const background = start('gmail', fakeBackground([alice, bob, carol, makeLead({ id: 'x1', email: 'x1@acme.example', name: 'X One' })]));
      await nextFrame();
      await settle();
      addGmailRows([{ email: 'x1@acme.example', name: 'X One' }]);
      addGmailRows([{ email: 'x2@acme.example', name: 'X Two' }]);
      addGmailRows([{ email: 'carol@client.example', name: 'Carol Client' }]);
      await nextFrame();
      await settle();
      expect(observers).toHaveLength(1);
      // The page cloned a row together with our badge host; the copy is removed, one slot per person stays.
      expect(document.querySelectorAll(`${BADGE_TAG} + ${BADGE_TAG}`)).toHaveLength(0);
      expect(hosts()).toHaveLength(7);
      expect(background.calls).toHaveLength(2);
      expect(background.calls[1]).toEqual(['email:x1@acme.example', 'email:x2@acme.example', 'email:carol@client.example']);
      expect(labels()).toHaveLength(4);
      expect(labels()[3]).toContain('Carol Client, score 12, Cold');
    } finally {
      window.MutationObserver = globalThis.MutationObserver = Original;
    }
  });

  it('follows Gmail navigation from the inbox into a thread without a reload, asking only for new people', async () => {
    showGmailView('inbox');
    const background = start('gmail');
    await nextFrame();
    await settle();
    showGmailView('thread');
    await nextFrame();
    await settle();
    expect(background.calls.slice(1)).toEqual([['email:rep@ourco.example']]);
    // Alice sends and receives; Bob is a recipient. Known non-leads get no slot at all.
    expect(labels().map((l) => l!.split(',')[0])).toEqual(['leadscore: Alice Example', 'leadscore: Bob Builder', 'leadscore: Alice Example']);
    expect(hosts().every((h) => h.isConnected)).toBe(true);
    showGmailView('inbox');
    await nextFrame();
    await settle();
    expect(labels()).toHaveLength(2);
    expect(background.calls).toHaveLength(2);
  });

  it('makes badges only for slots near the screen, and the others when they scroll near', async () => {
    showGmailView('inbox');
    const visibility = fakeVisibility(false);
    start('gmail', { ...fakeBackground(), visibility: visibility.factory });
    await nextFrame();
    await settle();
    expect(hosts()).toHaveLength(4);
    expect(buttons()).toHaveLength(0);
    visibility.scrollIntoView(hosts()[1]!);
    await settle();
    expect(labels()).toEqual(['leadscore: Bob Builder, score 45, Warm, grade B. Show details']);
    // Not a lead: nothing to make, even on screen.
    visibility.scrollIntoView(hosts()[3]!);
    expect(hosts()[3]!.shadowRoot).toBeNull();
  });

  it('updates a badge in place when the background pushes a changed lead', async () => {
    showGmailView('inbox');
    start('gmail');
    await nextFrame();
    await settle();
    page!.applyChanges([{ key: 'email:bob@acme.example', lead: { ...bob, score: 88, tier: 'Hot', grade: 'A' } }]);
    await settle();
    expect(labels()[1]).toBe('leadscore: Bob Builder, score 88, Hot, grade A. Show details');
  });

  it('keeps clicks on a badge from reaching the row (which would open the thread)', async () => {
    showGmailView('inbox');
    start('gmail');
    await nextFrame();
    await settle();
    let rowClicks = 0;
    document.querySelector('tr[role="row"]')!.addEventListener('click', () => rowClicks++);
    buttons()[0]!.click();
    await settle();
    expect(rowClicks).toBe(0);
    expect(card()).toBeTruthy();
  });
});

describe('the card', () => {
  beforeEach(showGmailInbox);

  it('opens on click with the stage, milestones with relative time and the reasons for the score', async () => {
    const badge = buttons()[0]!;
    badge.click();
    await settle();
    expect(badge.getAttribute('aria-expanded')).toBe('true');
    const dialog = card()!;
    expect(dialog.getAttribute('aria-label')).toBe('leadscore details for Alice Example');
    expect(dialog.textContent).toContain('Hot · Grade A · MQL');
    const items = [...dialog.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual(['Attended webinar2 d ago', 'Registered for webinar9 d ago', 'Attended webinar+20', 'Senior title+15', 'Personal email address-10']);
    expect([...dialog.querySelectorAll('h2')].map((h) => h.textContent)).toEqual(['Recent milestones', 'Why 82']);
    expect(cardRoot()!.activeElement).toBe(dialog);
  });

  it('opens on hover without taking focus, and closes when the pointer leaves', async () => {
    const badge = buttons()[0]!;
    badge.dispatchEvent(new MouseEvent('mouseenter'));
    await new Promise((r) => setTimeout(r, 350));
    await settle();
    expect(card()?.textContent).toContain('Alice Example');
    expect(cardRoot()!.activeElement).toBeNull();
    badge.dispatchEvent(new MouseEvent('mouseleave'));
    await new Promise((r) => setTimeout(r, 400));
    await settle();
    expect(card()).toBeFalsy();
  });

  it('closes with Escape and gives focus back to the badge', async () => {
    const badge = buttons()[0]!;
    badge.click();
    await settle();
    card()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(card()).toBeFalsy();
    expect(badge.getAttribute('aria-expanded')).toBe('false');
    expect(badge.getRootNode()).toHaveProperty('activeElement', badge);
  });

  it('closes when the rep clicks elsewhere on the page, not when they click inside it', async () => {
    buttons()[0]!.click();
    await settle();
    card()!.querySelector('li')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await settle();
    expect(card()).toBeTruthy();
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await settle();
    expect(card()).toBeFalsy();
  });

  it('opens the tagger for this lead from its "Tag fit" button', async () => {
    const background = fakeBackground();
    page!.stop();
    mountFixture('gmail');
    showGmailView('inbox');
    start('gmail', background);
    await nextFrame();
    await settle();
    buttons()[1]!.click();
    await settle();
    ([...card()!.querySelectorAll('button')].find((b) => b.textContent === 'Tag fit…') as HTMLButtonElement).click();
    expect(background.tagged).toEqual(['bob']);
  });
});

describe('hostile lead data', () => {
  it('renders names, milestones and reasons as text: no element is created, no handler runs', async () => {
    mountFixture('gmail');
    showGmailView('inbox');
    const payload = '<img src=x onerror="window.__pwned=1">';
    const evil = makeLead({
      id: 'evil',
      email: 'alice@acme.example',
      name: payload,
      tier: `<b>Hot</b>`,
      milestones: [{ ruleId: 'x', label: payload, at: new Date().toISOString() }],
      reasons: [{ label: `<script>window.__pwned=2</script>`, points: 5 }],
    });
    start('gmail', fakeBackground([evil]));
    await nextFrame();
    await settle();
    buttons()[0]!.click();
    await settle();
    const roots = [...hosts().flatMap((h) => (h.shadowRoot ? [h.shadowRoot] : [])), cardRoot()!];
    for (const root of roots) expect(root.querySelectorAll('img, script, b')).toHaveLength(0);
    expect(card()!.textContent).toContain(payload);
    expect(card()!.textContent).toContain('<script>window.__pwned=2</script>');
    expect(buttons()[0]!.getAttribute('aria-label')).toContain(payload);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});

describe('Outlook and LinkedIn pages', () => {
  it('badges the sender of the open Outlook message after the persona button, never inside it', async () => {
    mountFixture('outlook');
    start('outlook');
    await nextFrame();
    await settle();
    const carolHosts = hosts().filter((h) => h.shadowRoot?.querySelector('button')?.getAttribute('aria-label')?.includes('Carol'));
    expect(carolHosts).toHaveLength(2);
    const inPane = carolHosts.find((h) => h.closest('#ReadingPaneContainerId'))!;
    expect(inPane.previousElementSibling?.localName).toBe('button');
    expect(inPane.closest('button')).toBeNull();
  });

  it('shows a badge on a linked LinkedIn profile and moves with single-page navigation', async () => {
    mountFixture('linkedin');
    const background = start('linkedin');
    await nextFrame();
    await settle();
    expect(labels()).toEqual(['leadscore: Jane Doe, score 72, Hot, grade A. Show details']);
    expect(page!.currentPeople()).toEqual([{ key: 'li:https://www.linkedin.com/in/jane-doe', name: 'Jane Doe', headline: 'VP Sales at Globex' }]);
    setUrl('https://www.linkedin.com/in/john-roe/');
    document.getElementById('name')!.textContent = 'John Roe';
    await nextFrame();
    await settle();
    expect(background.calls.at(-1)).toEqual(['li:https://www.linkedin.com/in/john-roe']);
    expect(labels()).toEqual([]);
    expect(page!.currentPeople()[0]?.name).toBe('John Roe');
  });

  it('re-identifies the person when only the URL changes (back/forward, pushState), with no DOM change', async () => {
    mountFixture('linkedin');
    const background = start('linkedin');
    await nextFrame();
    await settle();
    expect(labels()).toEqual(['leadscore: Jane Doe, score 72, Hot, grade A. Show details']);
    // Back to another profile: LinkedIn fires popstate and renders nothing (the DOM still shows Jane).
    setUrl('https://www.linkedin.com/in/john-roe/');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await settle();
    expect(background.calls.at(-1)).toEqual(['li:https://www.linkedin.com/in/john-roe']);
    expect(labels()).toEqual([]);
    // A pushState from the page's own scripts fires no event at all: the address check finds it.
    setUrl('https://www.linkedin.com/in/jane-doe/');
    await new Promise((resolve) => setTimeout(resolve, URL_POLL_MS + 100));
    await settle();
    expect(labels()).toEqual(['leadscore: Jane Doe, score 72, Hot, grade A. Show details']);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(1);
  });
});

describe('messages to the content script', () => {
  beforeEach(showGmailInbox);

  it('tells the popup who is on the page, names for display only', () => {
    const answer = handleContentMessage(page!, { type: 'people' }, { id: 'ext' }, 'ext', location, 'gmail');
    expect(answer?.people.map((p) => [p.key, p.name])).toEqual([
      ['email:alice@acme.example', 'Alice Example'],
      ['email:bob@acme.example', 'Bob Builder'],
      ['email:newsletter@news.example', 'News'],
      ['email:stranger@unknown.example', 'Sam Stranger'],
    ]);
  });

  it('ignores messages from anyone but the extension, and malformed pushes', async () => {
    expect(handleContentMessage(page!, { type: 'people' }, { id: 'other' }, 'ext', location, 'gmail')).toBeUndefined();
    const hostile = { type: 'leads.changed', entries: [{ key: 'email:alice@acme.example', lead: { ...alice, score: 1 } }] };
    handleContentMessage(page!, hostile, { id: 'other' }, 'ext', location, 'gmail');
    handleContentMessage(page!, { type: 'leads.changed', entries: [{ key: 'email:alice@acme.example', lead: 'x' }] }, { id: 'ext' }, 'ext', location, 'gmail');
    handleContentMessage(page!, { type: 'leads.changed', entries: 'all' }, { id: 'ext' }, 'ext', location, 'gmail');
    await settle();
    expect(labels()[0]).toContain('score 82');
    handleContentMessage(page!, hostile, { id: 'ext' }, 'ext', location, 'gmail');
    await settle();
    expect(labels()[0]).toContain('score 1');
  });
});
