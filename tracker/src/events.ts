import type { TrackedEvent } from '../../shared/schemas/event';
import { allowed } from './privacy';
import { enqueue } from './queue';
import { anonymousId, newId, read, write } from './storage';

type Page = NonNullable<NonNullable<TrackedEvent['context']>['page']>;
type Fields = Pick<TrackedEvent, 'event' | 'properties' | 'traits' | 'userId'>;

/**
 * The page events are attributed to, updated by pageviews (engaged time goes out before it
 * changes). Events are serialized when queued, so sharing this one object is safe.
 */
export const context = {} as { page: Page; campaign?: Record<string, string> };

/** A plain object, else nothing: one malformed call must not sink the batch it travels in. */
export const plain = (value: unknown): Record<string, unknown> | undefined =>
  value?.constructor == Object ? (value as Record<string, unknown>) : undefined;

/** Truthy for a name or id the backend accepts: a non-blank string (only strings have trim). */
const valid = (value: unknown): string | undefined => (value as string)?.trim?.();

/** Stamps and queues an event, unless recording is not allowed. */
export const send = (type: TrackedEvent['type'], fields: Fields): void => {
  if (allowed())
    enqueue({
      type,
      messageId: newId(),
      timestamp: new Date().toISOString(),
      anonymousId: anonymousId(),
      userId: read('u'),
      context,
      ...fields,
    });
};

export const track = (name: unknown, properties?: unknown): void => {
  if (valid(name)) send('track', { event: name as string, properties: plain(properties) });
};

/** `leadscore('identify', email, traits)`: the email is the userId and traits.email. */
export const identify = (userId: unknown, traits?: unknown): void => {
  if (!valid(userId) || !allowed()) return;
  // send() stamps the userId it reads back from storage.
  write('u', userId as string);
  send('identify', { traits: { email: userId, ...plain(traits) } });
};
