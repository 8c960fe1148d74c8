import type { Person } from '../adapters/types';
import type { LeadKey } from '../keys';
import { BADGE_CSS, SLOT_HEIGHT, SLOT_WIDTH } from '../ui/styles';
import { attachShadowContent, BADGE_TAG, createHostElement, keepLinkStill } from './hosts';
import type { Visibility, VisibilityFactory } from './visibility';

// A fixed box whatever it shows: the page never moves when a badge appears or changes. Only a
// person who turns out not to be a lead gives the width back (see `fit`).
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
  /** Whether the slot holds its width (a badge's) or none. */
  reserved: boolean;
}

/** What the page knows about a key, as far as slots are concerned. */
export type KeyStatus = 'lead' | 'none' | 'pending' | 'unknown';

/** Setting an inline `!important` width beats the host's own rule; the page's CSS cannot reach it. */
function setReserved(host: HTMLElement, reserved: boolean): void {
  host.style.setProperty('width', reserved ? `${SLOT_WIDTH}px` : '0px', 'important');
  host.style.setProperty('margin-left', reserved ? '4px' : '0px', 'important');
}

/**
 * Keeps one badge slot per person anchor. An empty slot (a bare fixed-size element) is inserted
 * in the same frame its person is first seen, so it is part of that content's first paint and a
 * lead's badge later appears in it without moving anything. The slot holds its width only while
 * its lookup is pending: once the answer says "not a lead" (or cannot tell), the width goes back
 * to zero, so non-leads leave no gap. Its shadow root and badge are made once the person is known
 * to be a lead and the slot is on or near the screen. People already known not to be leads get
 * no slot.
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
        // The same element now shows someone else (a single-page app reusing its heading).
        if (slot.key !== person.key && slot.reserved !== (this.status(person.key) !== 'none')) {
          slot.reserved = !slot.reserved;
          setReserved(slot.host, slot.reserved);
        }
        slot.key = person.key;
        if (!slot.host.isConnected) this.insert(slot);
        if (slot.mount) this.redraw(slot as Slot & { mount: HTMLElement });
      }
      this.show(slot);
    }
    for (const [anchor, slot] of this.slots) if (!seen.has(anchor)) this.unmount(anchor, slot);
    this.removeStrays();
  }

  /**
   * What the page knows about these keys changed (a lookup answered, a lead was pushed): leads
   * show their badge, slots of people known not to be leads give their width back.
   */
  settle(keys: ReadonlySet<LeadKey>): void {
    for (const slot of this.slots.values()) {
      if (!keys.has(slot.key)) continue;
      this.fit(slot);
      this.show(slot);
    }
  }

  /**
   * A slot keeps its width while its lookup is pending and for a lead; otherwise it takes none.
   * A slot that gave its width back takes it again only for a lead (a retry after an unreachable
   * backend does not open gaps that may close again).
   */
  private fit(slot: Slot): void {
    const status = this.status(slot.key);
    const reserved = status === 'lead' || (slot.reserved && status === 'pending');
    if (reserved === slot.reserved) return;
    slot.reserved = reserved;
    setReserved(slot.host, reserved);
  }

  clear(): void {
    for (const [anchor, slot] of this.slots) this.unmount(anchor, slot);
    this.visibility.disconnect();
  }

  private show(slot: Slot): void {
    if (slot.mount || this.status(slot.key) !== 'lead' || !this.visibility.isNear(slot.host)) return;
    slot.mount = attachShadowContent(slot.host, BADGE_CSS);
    slot.host.addEventListener('click', keepLinkStill);
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
    const slot: Slot = { key: person.key, anchor: person.anchor, place: person.place ?? 'after', host: createHostElement(this.doc, BADGE_TAG, SLOT_STYLE), mount: null, reserved: true };
    this.insert(slot);
    this.slots.set(person.anchor, slot);
    this.byHost.set(slot.host, slot);
    this.visibility.observe(slot.host);
    return slot;
  }

  private insert(slot: Slot): void {
    // 'append' (a heading) keeps the badge on the name's line even when the heading sits in a
    // link: after the link it would start a new line under the name. The badge's button is then
    // inside the link; a click on it activates the button, not the link, and stops at the host.
    if (slot.place === 'append') {
      slot.anchor.append(slot.host);
      return;
    }
    // Next to a name inside a link or button, the badge goes after that control.
    const interactive = slot.anchor.closest(INTERACTIVE);
    (interactive ?? slot.anchor).after(slot.host);
  }

  private unmount(anchor: Element, slot: Slot): void {
    slot.erase?.();
    slot.host.remove();
    this.slots.delete(anchor);
    this.byHost.delete(slot.host);
    this.visibility.unobserve(slot.host);
  }
}
