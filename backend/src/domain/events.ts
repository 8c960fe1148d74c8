import { scorableName, type ScorableEvent, type TrackedEvent } from '../../../shared/index';
import { isEmail, normalizeEmail } from '../../../shared/email';
import type { IdentityKey } from './identity-keys';

/** A validated event, ready to store: its scored name, its time on the server's clock. */
export interface PreparedEvent {
  messageId: string;
  type: TrackedEvent['type'];
  name: string;
  anonymousId: string | null;
  userId: string | null;
  previousId: string | null;
  traits: Record<string, unknown> | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown> | null;
  at: number;
}

const PAGE_FIELDS = ['url', 'path', 'referrer', 'title', 'search'] as const;

/**
 * Dates events on the server's clock: when the client says when it sent the batch (`sentAt`),
 * its clock skew is removed, as Segment does; no event is dated after it was received.
 */
export function prepareEvents(batch: readonly TrackedEvent[], receivedAt: number, sentAt?: string): PreparedEvent[] {
  const skew = sentAt ? receivedAt - Date.parse(sentAt) : 0;
  return batch.map((e) => ({
    messageId: e.messageId,
    type: e.type,
    name: scorableName(e),
    anonymousId: e.anonymousId ?? null,
    userId: e.userId ?? null,
    previousId: e.previousId ?? null,
    traits: e.traits ?? null,
    properties: scoredProperties(e),
    context: e.context ?? null,
    at: Math.min(Date.parse(e.timestamp) + skew, receivedAt),
  }));
}

/** Page calls are matched on their page (path globs), identify calls show their traits. */
function scoredProperties(e: TrackedEvent): Record<string, unknown> {
  if (e.type === 'identify') return { ...e.traits, ...e.properties };
  if (e.type !== 'page') return e.properties ?? {};
  const page: Record<string, unknown> = {};
  for (const field of PAGE_FIELDS) if (e.context?.page?.[field] !== undefined) page[field] = e.context.page[field];
  return { ...page, ...e.properties };
}

/**
 * Whom an event's messageId is unique for: its visitor, or its user when sent server-side
 * without one (the schema requires one of the two). A retry resends the same ids, so
 * (actor, messageId) finds every duplicate that messageId alone would.
 */
export function eventActor(e: Pick<PreparedEvent, 'anonymousId' | 'userId'>): string {
  return e.anonymousId ?? e.userId ?? '';
}

export function toScorable(e: Pick<PreparedEvent, 'name' | 'properties' | 'at'>): ScorableEvent {
  return { event: e.name, properties: e.properties, at: e.at };
}

/**
 * Who an event says it is. An email (userId that is an email, or an identify's traits.email)
 * names a lead; a non-email userId, an anonymousId or an alias's previousId are ids that get
 * tied to a lead.
 */
export function identityKeysOf(e: PreparedEvent): { emails: IdentityKey[]; ids: IdentityKey[] } {
  const emails: IdentityKey[] = [];
  const ids: IdentityKey[] = [];
  if (e.userId) {
    if (isEmail(e.userId)) emails.push({ kind: 'email', value: normalizeEmail(e.userId) });
    else ids.push({ kind: 'user', value: e.userId });
  }
  const traitEmail = e.type === 'identify' ? e.traits?.email : undefined;
  if (typeof traitEmail === 'string' && isEmail(traitEmail)) emails.push({ kind: 'email', value: normalizeEmail(traitEmail) });
  if (e.anonymousId) ids.push({ kind: 'visitor', value: e.anonymousId });
  if (e.type === 'alias' && e.previousId) {
    if (isEmail(e.previousId)) emails.push({ kind: 'email', value: normalizeEmail(e.previousId) });
    // A previous id that is not an email may have been an anonymousId or a userId: tie both.
    else ids.push({ kind: 'user', value: e.previousId }, { kind: 'visitor', value: e.previousId });
  }
  return { emails, ids };
}
