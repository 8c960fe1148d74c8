import type { LeadSummary } from '../../shared';
import type { Person, SiteAdapter } from '../adapters/types';
import { MAX_LOOKUP_KEYS, type LeadKey } from '../keys';
import type { LookupAnswer, PagePerson } from '../protocol';
import { drawBadge } from '../ui/badge';
import { CardController } from './card';
import { isOwnNode } from './hosts';
import { BadgeSlots, type Slot } from './slots';
import { LeadStore } from './store';
import { watchUrl } from './url-watch';
import { viewportVisibility, type VisibilityFactory } from './visibility';
import { watchPage } from './watch';

export interface PageDeps {
  /** Asks the background; answers may come from its cache. */
  lookup(keys: LeadKey[]): Promise<LookupAnswer>;
  openTagger(leadId: string): void;
  now?: () => number;
  /** Which slots are near the screen; badges are made only for those. */
  visibility?: VisibilityFactory;
}

/**
 * Everything the content script does on one page: watch it (one observer, one scan per frame),
 * ask the adapter who is on it, keep a badge slot next to each person, look unknown people up in
 * one batch, and show one card at a time. Page detection (the adapter) knows nothing of rendering.
 */
export class BadgePage {
  readonly store = new LeadStore();
  private readonly slots: BadgeSlots;
  private readonly card: CardController;
  private people: Person[] = [];
  private stopWatching: (() => void) | undefined;
  private stopWatchingUrl: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly adapter: SiteAdapter,
    private readonly deps: PageDeps,
    private readonly doc: Document = document,
  ) {
    this.now = deps.now ?? Date.now;
    this.card = new CardController(doc, this.store, (id) => deps.openTagger(id), this.now);
    this.slots = new BadgeSlots(doc, (key) => this.store.status(key), (slot) => this.drawBadge(slot), deps.visibility ?? viewportVisibility);
  }

  start(): void {
    this.stopWatching = watchPage(this.doc.documentElement, () => this.scan(), isOwnNode);
    // Adapters may identify people by the URL (LinkedIn): a URL change is a reason to rescan.
    this.stopWatchingUrl = watchUrl(this.doc.defaultView!, () => this.scan());
    this.card.start();
  }

  stop(): void {
    this.stopWatching?.();
    this.stopWatchingUrl?.();
    this.card.stop();
    this.slots.clear();
  }

  /** One pass: find people, keep their slots, look up the ones not known yet (one request). */
  scan(): void {
    this.people = this.adapter.findPeople(this.doc, this.doc.defaultView!.location);
    this.slots.sync(this.people);
    const now = this.now();
    const ask = [...new Set(this.people.map((p) => p.key))].filter((key) => this.store.needsLookup(key, now));
    if (ask.length) this.lookup(ask);
    // People whose status this page already knows (a lead, or an earlier answer) fit their slot now,
    // in the frame the slot was inserted, before it is painted.
    this.slots.settle(new Set(this.people.map((p) => p.key).filter((key) => this.store.status(key) !== 'pending')));
    this.card.closeIfDetached();
  }

  /** The people on the page now, for the popup (names for display only). */
  currentPeople(): PagePerson[] {
    const byKey = new Map<LeadKey, PagePerson>();
    for (const { key, name, headline } of this.people) {
      if (!byKey.has(key)) byKey.set(key, { key, ...(name ? { name } : {}), ...(headline ? { headline } : {}) });
    }
    return [...byKey.values()];
  }

  applyChanges(entries: { key: LeadKey; lead: LeadSummary | null }[]): void {
    this.store.update(entries);
    this.slots.settle(new Set(entries.map((e) => e.key)));
  }

  private lookup(keys: LeadKey[]): void {
    this.store.markPending(keys);
    for (let i = 0; i < keys.length; i += MAX_LOOKUP_KEYS) {
      const chunk = keys.slice(i, i + MAX_LOOKUP_KEYS);
      this.deps.lookup(chunk).then(
        (answer) => {
          this.store.apply(chunk, answer, this.now());
          this.slots.settle(new Set(chunk));
        },
        () => {
          this.store.apply(chunk, {}, this.now());
          this.slots.settle(new Set(chunk));
        },
      );
    }
  }

  private drawBadge(slot: Slot & { mount: HTMLElement }): () => void {
    return drawBadge(slot.mount, {
      state: this.store.state(slot.key),
      expanded: () => this.card.open.value?.slot === slot,
      onToggle: (button) => this.card.toggle(slot, button),
      onHover: (button, inside) => this.card.hover(slot, button, inside),
      onEscape: () => this.card.close(true),
    });
  }
}
