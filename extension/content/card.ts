import { signal } from '@preact/signals';
import { h, render } from 'preact';
import { Card } from '../ui/Card';
import { CARD_CSS } from '../ui/styles';
import { pageTheme } from '../ui/theme';
import { attachShadowContent, CARD_TAG, createHostElement } from './hosts';
import type { Slot } from './slots';
import type { LeadStore } from './store';

interface OpenCard {
  slot: Slot;
  button: HTMLElement;
  rect: DOMRect;
  /** Opened by click or keyboard: stays until closed, and takes focus. Hover cards do neither. */
  pinned: boolean;
}

const HOVER_OPEN_MS = 250;
const HOVER_CLOSE_MS = 300;
const CARD_HOST_STYLE = 'all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; z-index: 2147483647 !important;';

/**
 * The one card of a page: opened from a badge by click, keyboard or hover, closed by Escape
 * (focus goes back to the badge), a click elsewhere, or the pointer leaving. Its host sits at
 * the end of the document in the top stacking layer, so no row's overflow can clip it.
 */
export class CardController {
  /** Which badge's card is open; badges read it for aria-expanded. */
  readonly open = signal<OpenCard | null>(null);
  private host: { host: HTMLElement; mount: HTMLElement } | null = null;
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly store: LeadStore,
    private readonly onTag: (leadId: string) => void,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.doc.addEventListener('pointerdown', this.onPointerDown, true);
    this.doc.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
  }

  stop(): void {
    this.doc.removeEventListener('pointerdown', this.onPointerDown, true);
    this.doc.removeEventListener('scroll', this.onScroll, true);
    this.open.value = null;
    if (this.host) {
      render(null, this.host.mount);
      this.host.host.remove();
    }
  }

  toggle(slot: Slot, button: HTMLElement): void {
    clearTimeout(this.hoverTimer);
    const open = this.open.value;
    if (open?.slot === slot && open.pinned) return this.close(true);
    this.show({ slot, button, rect: button.getBoundingClientRect(), pinned: true });
  }

  hover(slot: Slot, button: HTMLElement, inside: boolean): void {
    clearTimeout(this.hoverTimer);
    if (this.open.value?.pinned) return;
    this.hoverTimer = inside
      ? setTimeout(() => this.show({ slot, button, rect: button.getBoundingClientRect(), pinned: false }), HOVER_OPEN_MS)
      : setTimeout(() => this.close(false), HOVER_CLOSE_MS);
  }

  close(returnFocus: boolean): void {
    clearTimeout(this.hoverTimer);
    const open = this.open.value;
    this.open.value = null;
    if (returnFocus && open?.button.isConnected) open.button.focus();
  }

  /** Closes the card of a badge that left the page. */
  closeIfDetached(): void {
    if (this.open.value && !this.open.value.slot.host.isConnected) this.close(false);
  }

  private show(open: OpenCard): void {
    if (!this.host) {
      const host = createHostElement(this.doc, CARD_TAG, CARD_HOST_STYLE);
      this.host = { host, mount: attachShadowContent(host, CARD_CSS) };
      render(h(this.Layer, {}), this.host.mount);
    }
    if (!this.host.host.isConnected) this.doc.documentElement.append(this.host.host);
    this.open.value = open;
  }

  /** Follows the open card and that lead's state (a saved tag updates an open card). */
  private readonly Layer = () => {
    const open = this.open.value;
    const state = open ? this.store.state(open.slot.key).value : null;
    if (!open || state?.status !== 'lead') return null;
    return h(Card, {
      lead: state.lead,
      anchor: open.rect,
      theme: pageTheme(this.doc),
      takeFocus: open.pinned,
      now: this.now(),
      onClose: () => this.close(true),
      onTag: () => this.onTag(state.lead.id),
      onHover: (inside) => {
        clearTimeout(this.hoverTimer);
        if (!inside && !this.open.value?.pinned) this.hoverTimer = setTimeout(() => this.close(false), HOVER_CLOSE_MS);
      },
    });
  };

  private readonly onPointerDown = (event: Event) => {
    const open = this.open.value;
    if (!open) return;
    const path = event.composedPath();
    if (!path.includes(open.slot.host) && !(this.host && path.includes(this.host.host))) this.close(false);
  };

  private readonly onScroll = () => {
    const open = this.open.value;
    if (!open) return;
    if (!open.pinned) return this.close(false);
    this.open.value = { ...open, rect: open.button.getBoundingClientRect() };
  };
}
