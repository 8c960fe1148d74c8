import { signal } from '@preact/signals';
import { h, render } from 'preact';
import type { LeadSummary } from '../../shared';
import type { Person, SiteAdapter } from '../adapters/types';
import { MAX_LOOKUP_KEYS, type LeadKey } from '../keys';
import type { LookupAnswer, PagePerson } from '../messages';
import { Badge } from '../ui/Badge';
import { Card } from '../ui/Card';
import { CARD_CSS } from '../ui/styles';
import { pageTheme } from '../ui/theme';
import { attachShadowContent, CARD_TAG, createHostElement, isOwnNode } from './hosts';
import { BadgeSlots, type Slot } from './slots';
import { LeadStore } from './store';
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

interface OpenCard {
  slot: Slot;
  button: HTMLElement;
  rect: DOMRect;
  pinned: boolean;
}

const HOVER_OPEN_MS = 250;
const HOVER_CLOSE_MS = 300;
const CARD_HOST_STYLE = 'all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; z-index: 2147483647 !important;';

/**
 * Everything the content script does on one page: watch it (one observer, one scan per frame),
 * ask the adapter who is on it, keep a badge slot next to each person, look unknown people up in
 * one batch, and show one card at a time. Page detection (the adapter) knows nothing of rendering.
 */
export class BadgePage {
  readonly store = new LeadStore();
  private readonly slots: BadgeSlots;
  private readonly card = signal<OpenCard | null>(null);
  private cardHost: { host: HTMLElement; mount: HTMLElement } | null = null;
  private people: Person[] = [];
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;
  private stopWatching: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly adapter: SiteAdapter,
    private readonly deps: PageDeps,
    private readonly doc: Document = document,
  ) {
    this.now = deps.now ?? Date.now;
    this.slots = new BadgeSlots(doc, (key) => this.store.status(key), (slot) => this.drawBadge(slot), deps.visibility ?? viewportVisibility);
  }

  start(): void {
    this.stopWatching = watchPage(this.doc.documentElement, () => this.scan(), isOwnNode);
    this.doc.addEventListener('pointerdown', this.onPointerDown, true);
    this.doc.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
  }

  stop(): void {
    this.stopWatching?.();
    this.doc.removeEventListener('pointerdown', this.onPointerDown, true);
    this.doc.removeEventListener('scroll', this.onScroll, true);
    this.card.value = null;
    this.slots.clear();
    if (this.cardHost) {
      render(null, this.cardHost.mount);
      this.cardHost.host.remove();
    }
  }

  /** One pass: find people, keep their slots, look up the ones not known yet (one request). */
  scan(): void {
    this.people = this.adapter.findPeople(this.doc, this.doc.defaultView!.location);
    this.slots.sync(this.people);
    const now = this.now();
    const ask = [...new Set(this.people.map((p) => p.key))].filter((key) => this.store.needsLookup(key, now));
    if (ask.length) this.lookup(ask);
    const open = this.card.value;
    if (open && !open.slot.host.isConnected) this.closeCard(false);
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
    this.slots.showKeys(new Set(entries.filter((e) => e.lead).map((e) => e.key)));
  }

  private lookup(keys: LeadKey[]): void {
    this.store.markPending(keys);
    for (let i = 0; i < keys.length; i += MAX_LOOKUP_KEYS) {
      const chunk = keys.slice(i, i + MAX_LOOKUP_KEYS);
      this.deps.lookup(chunk).then(
        (answer) => {
          this.store.apply(chunk, answer, this.now());
          this.slots.showKeys(new Set(chunk.filter((key) => answer[key])));
        },
        () => this.store.apply(chunk, {}, this.now()),
      );
    }
  }

  private drawBadge(slot: Slot & { mount: HTMLElement }): void {
    const state = this.store.state(slot.key);
    const SlotBadge = () =>
      h(Badge, {
        state,
        expanded: this.card.value?.slot === slot,
        onToggle: (button) => this.toggleCard(slot, button),
        onHover: (button, inside) => this.hover(slot, button, inside),
        onEscape: () => this.closeCard(true),
      });
    render(h(SlotBadge, {}), slot.mount);
  }

  private toggleCard(slot: Slot, button: HTMLElement): void {
    clearTimeout(this.hoverTimer);
    const open = this.card.value;
    if (open?.slot === slot && open.pinned) return this.closeCard(true);
    this.showCard({ slot, button, rect: button.getBoundingClientRect(), pinned: true });
  }

  private hover(slot: Slot, button: HTMLElement, inside: boolean): void {
    clearTimeout(this.hoverTimer);
    if (this.card.value?.pinned) return;
    this.hoverTimer = inside
      ? setTimeout(() => this.showCard({ slot, button, rect: button.getBoundingClientRect(), pinned: false }), HOVER_OPEN_MS)
      : setTimeout(() => this.closeCard(false), HOVER_CLOSE_MS);
  }

  private showCard(open: OpenCard): void {
    this.ensureCardLayer();
    this.card.value = open;
  }

  private closeCard(returnFocus: boolean): void {
    clearTimeout(this.hoverTimer);
    const open = this.card.value;
    this.card.value = null;
    if (returnFocus && open?.button.isConnected) open.button.focus();
  }

  /** One card host per page, created on first use; its content follows the open card and that lead's state. */
  private ensureCardLayer(): void {
    if (!this.cardHost) {
      const host = createHostElement(this.doc, CARD_TAG, CARD_HOST_STYLE);
      this.cardHost = { host, mount: attachShadowContent(host, CARD_CSS) };
      render(h(this.CardLayer, {}), this.cardHost.mount);
    }
    if (!this.cardHost.host.isConnected) this.doc.documentElement.append(this.cardHost.host);
  }

  private readonly CardLayer = () => {
    const open = this.card.value;
    const state = open ? this.store.state(open.slot.key).value : null;
    if (!open || state?.status !== 'lead') return null;
    return h(Card, {
      lead: state.lead,
      anchor: open.rect,
      theme: pageTheme(this.doc),
      takeFocus: open.pinned,
      now: this.now(),
      onClose: () => this.closeCard(true),
      onTag: () => this.deps.openTagger(state.lead.id),
      onHover: (inside) => {
        clearTimeout(this.hoverTimer);
        if (!inside && !this.card.value?.pinned) this.hoverTimer = setTimeout(() => this.closeCard(false), HOVER_CLOSE_MS);
      },
    });
  };

  private readonly onPointerDown = (event: Event) => {
    const open = this.card.value;
    if (!open) return;
    const path = event.composedPath();
    if (!path.includes(open.slot.host) && !(this.cardHost && path.includes(this.cardHost.host))) this.closeCard(false);
  };

  private readonly onScroll = () => {
    const open = this.card.value;
    if (!open) return;
    if (!open.pinned) return this.closeCard(false);
    this.card.value = { ...open, rect: open.button.getBoundingClientRect() };
  };
}
