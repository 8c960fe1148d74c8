import type { Person } from '../adapters/types';
import type { LeadKey } from '../keys';
import { BADGE_CSS, SLOT_HEIGHT, SLOT_WIDTH } from '../ui/styles';
import { attachShadowContent, BADGE_TAG, createHostElement } from './hosts';
import type { Visibility, VisibilityFactory } from './visibility';

// A fixed box whatever it shows: the page never moves when a badge appears, changes or stays empty.
const SLOT_STYLE = [
  'all: initial',
  'display: inline-block',
  `width: ${SLOT_WIDTH}px`,
  `height: ${SLOT_HEIGHT}px`,
  'margin: 0 0 0 4px',
  'padding: 0',
  'vertical-align: middle',
  'line-height: 0',
  // Size containment keeps the box fixed whatever is inside.
  'contain: strict',
]
  .map((rule) => `${rule} !important`)
  .join('; ');

const INTERACTIVE = 'a[href], button, [role="button"], [role="link"]';

export interface Slot {
  key: LeadKey;
  anchor: Element;
  place: 'after' | 'append';
  host: HTMLElement;
  /** Set once the slot shows a lead: the shadow root and the badge are made only then. */
  mount: HTMLElement | null;
  /** Takes the drawn badge away (set with `mount`). */
  erase?: () => void;
}

/** What the page knows about a key, as far as slots are concerned. */
export type KeyStatus = 'lead' | 'none' | 'unknown';

/**
 * Keeps one badge slot per person anchor. An empty slot (a bare fixed-size element) is inserted
 * in the same frame its person is first seen, so it is part of that content's first paint (no
 * layout shift). Its shadow root and badge are made once the person is known to be a lead and
 * the slot is on or near the screen. People already known not to be leads get no slot.
 */
export class BadgeSlots {
  private readonly slots = new Map<Element, Slot>();
  private readonly byHost = new Map<Element, Slot>();
  private readonly visibility: Visibility;

  constructor(
    private readonly doc: Document,
    private readonly status: (key: LeadKey) => KeyStatus,
    /** Draws the slot's badge; returns the function that erases it. */
    private readonly draw: (slot: Slot & { mount: HTMLElement }) => () => void,
    visibility: VisibilityFactory,
  ) {
    this.visibility = visibility((host) => {
      const slot = this.byHost.get(host);
      if (slot) this.show(slot);
    });
  }

  sync(people: Person[]): void {
    const seen = new Set<Element>();
    for (const person of people) {
      seen.add(person.anchor);
      let slot = this.slots.get(person.anchor);
      if (!slot) {
        if (this.status(person.key) === 'none') continue;
        slot = this.mount(person);
      } else if (slot.key !== person.key || !slot.host.isConnected) {
        slot.key = person.key;
        if (!slot.host.isConnected) this.insert(slot);
        if (slot.mount) this.redraw(slot as Slot & { mount: HTMLElement });
      }
      this.show(slot);
    }
    for (const [anchor, slot] of this.slots) if (!seen.has(anchor)) this.unmount(anchor, slot);
    this.removeStrays();
  }

  /** Shows the badge in the slots of these keys (their lookups just answered). */
  showKeys(keys: ReadonlySet<LeadKey>): void {
    for (const slot of this.slots.values()) if (keys.has(slot.key)) this.show(slot);
  }

  clear(): void {
    for (const [anchor, slot] of this.slots) this.unmount(anchor, slot);
    this.visibility.disconnect();
  }

  private show(slot: Slot): void {
    if (slot.mount || this.status(slot.key) !== 'lead' || !this.visibility.isNear(slot.host)) return;
    slot.mount = attachShadowContent(slot.host, BADGE_CSS);
    this.redraw(slot as Slot & { mount: HTMLElement });
  }

  private redraw(slot: Slot & { mount: HTMLElement }): void {
    slot.erase?.();
    slot.erase = this.draw(slot);
  }

  /** Pages that clone their own rows also clone our hosts: drop those copies. */
  private removeStrays(): void {
    const ours = new Set<Element>([...this.slots.values()].map((slot) => slot.host));
    for (const host of this.doc.querySelectorAll(BADGE_TAG)) if (!ours.has(host)) host.remove();
  }

  private mount(person: Person): Slot {
    const slot: Slot = { key: person.key, anchor: person.anchor, place: person.place ?? 'after', host: createHostElement(this.doc, BADGE_TAG, SLOT_STYLE), mount: null };
    this.insert(slot);
    this.slots.set(person.anchor, slot);
    this.byHost.set(slot.host, slot);
    this.visibility.observe(slot.host);
    return slot;
  }

  private insert(slot: Slot): void {
    // A button inside a link or button is invalid and unusable: then the badge goes after it.
    const interactive = slot.anchor.closest(INTERACTIVE);
    if (interactive) interactive.after(slot.host);
    else if (slot.place === 'append') slot.anchor.append(slot.host);
    else slot.anchor.after(slot.host);
  }

  private unmount(anchor: Element, slot: Slot): void {
    slot.erase?.();
    slot.host.remove();
    this.slots.delete(anchor);
    this.byHost.delete(slot.host);
    this.visibility.unobserve(slot.host);
  }
}
