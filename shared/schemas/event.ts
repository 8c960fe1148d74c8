import { z } from 'zod';
import { EventName } from './event-names';
import { storableString, storableText } from './text';

export { EventName };

export const MAX_BATCH_EVENTS = 100;

const Json: z.ZodType<unknown> = z.json();
const Properties = z
  .record(z.string().max(100), Json)
  .refine((p) => JSON.stringify(p).length <= 8_192, 'properties must be at most 8 KiB of JSON');

const Id = z.string().trim().min(1).max(200);

export const PageContext = z.object({
  url: z.string().max(2_048).optional(),
  path: z.string().max(2_048).optional(),
  referrer: z.string().max(2_048).optional(),
  title: z.string().max(500).optional(),
  search: z.string().max(2_048).optional(),
});

export const EventContext = z
  .object({
    page: PageContext.optional(),
    campaign: z.record(z.string().max(50), z.string().max(500)).optional(),
    userAgent: z.string().max(1_000).optional(),
  })
  .loose();

/**
 * One tracked event, Segment-shaped so Segment-compatible SDKs can send to us.
 * `messageId` is the idempotency key: the same id is stored once per site.
 */
export const TrackedEvent = storableText(
  z
    .object({
      type: z.enum(['page', 'track', 'identify', 'alias']),
      messageId: Id,
      timestamp: z.iso.datetime({ offset: true }),
      anonymousId: Id.optional(),
      userId: Id.optional(),
      event: z.string().trim().min(1).max(200).optional(),
      name: z.string().max(500).optional(),
      properties: Properties.optional(),
      traits: Properties.optional(),
      previousId: Id.optional(),
      context: EventContext.optional(),
    })
    .superRefine((e, ctx) => {
      if (!e.anonymousId && !e.userId) {
        ctx.addIssue({ code: 'custom', message: 'anonymousId or userId is required', path: ['anonymousId'] });
      }
      if (e.type === 'track' && !e.event) {
        ctx.addIssue({ code: 'custom', message: 'a track event needs an event name', path: ['event'] });
      }
      if (e.type === 'alias' && (!e.previousId || !e.userId)) {
        ctx.addIssue({ code: 'custom', message: 'alias needs previousId and userId', path: ['previousId'] });
      }
    }),
);
export type TrackedEvent = z.infer<typeof TrackedEvent>;

/** What the tracker posts to /collect (as text/plain JSON). */
export const CollectBatch = z.object({
  siteKey: storableString().min(1).max(100),
  sentAt: z.iso.datetime({ offset: true }).optional(),
  batch: z.array(TrackedEvent).min(1).max(MAX_BATCH_EVENTS),
});
export type CollectBatch = z.infer<typeof CollectBatch>;

/** An event as the scoring engine sees it: a name, its properties and when it happened. */
export interface ScorableEvent {
  id?: string;
  event: string;
  properties?: Record<string, unknown>;
  /** Epoch milliseconds. */
  at: number;
}

/** The name an event is scored under: page calls are "Page Viewed", identify calls "Identified". */
export function scorableName(e: Pick<TrackedEvent, 'type' | 'event'>): string {
  if (e.type === 'track') return e.event!;
  if (e.type === 'page') return EventName.pageViewed;
  return e.type === 'identify' ? 'Identified' : 'Aliased';
}
