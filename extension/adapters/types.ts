import type { LeadKey } from '../keys';

/** Where a person shows up: a message header in an open thread, a mailbox row, or a profile page. */
export type PersonKind = 'thread' | 'row' | 'profile';

/**
 * A person an adapter found on the page. `anchor` is the element the badge sits next to
 * (`place: 'after'`, the default) or at the end of (`place: 'append'`, for block elements such
 * as a heading, where a sibling would start a new line).
 */
export interface Person {
  key: LeadKey;
  anchor: Element;
  kind: PersonKind;
  place?: 'after' | 'append';
  /** For display in the popup only. */
  name?: string;
  headline?: string;
}

/** One per site, one file each, registered in adapters/registry.ts. */
export interface SiteAdapter {
  name: string;
  matches(location: Pick<Location, 'hostname' | 'pathname'>): boolean;
  /** Pure read of the page: no side effects, cheap enough to run once per animation frame. */
  findPeople(root: ParentNode, location: Pick<Location, 'href' | 'pathname'>): Person[];
}
