import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { TrackedEvent } from '../../../shared/index';
import type { AppConfig } from '../config';
import { Failure, type IssueLike } from '../http/failure';
import { prepareEvents } from '../domain/events';
import { readBody } from '../http/body';
import { issuesOf, parseJsonText, parseWith } from '../http/errors';
import type { IngestGate } from '../http/ingest-gate';
import type { Site, Store } from '../store/store';

/** Segment allows 500 KB per batch; its SDKs send far fewer events than this per request. */
export const SEGMENT_MAX_EVENTS = 500;

const SegmentBatch = z.object({
  batch: z.array(z.unknown()).min(1).max(SEGMENT_MAX_EVENTS),
  sentAt: z.iso.datetime({ offset: true }).optional(),
});
const SentAt = z.object({ sentAt: z.iso.datetime({ offset: true }).optional() });

/** Valid Segment calls that do not describe a person's engagement; accepted and not stored. */
const IGNORED_TYPES = new Set(['screen', 'group']);

const challenge = { 'WWW-Authenticate': 'Basic realm="leadscore"' };

/** The write key from HTTP Basic auth (user = key, empty password), or from the body as analytics.js sends it. */
function writeKeyOf(c: Context, json: unknown): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0];
  const fromBody = (json as { writeKey?: unknown } | null)?.writeKey;
  return typeof fromBody === 'string' ? fromBody : undefined;
}

/** Segment's optional fields get Segment's defaults: a messageId and the time it was sent. */
function withDefaults(raw: unknown, sentAt: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const e = raw as Record<string, unknown>;
  return { ...e, messageId: e.messageId ?? randomUUID(), timestamp: e.timestamp ?? sentAt };
}

/** Validates each event, naming problems by their place in the original batch. */
function validEvents(raw: unknown[], sentAt: string): { events: TrackedEvent[]; ignored: number } {
  const events: TrackedEvent[] = [];
  const issues: IssueLike[] = [];
  let ignored = 0;
  raw.forEach((item, i) => {
    if (IGNORED_TYPES.has((item as { type?: unknown } | null)?.type as string)) return void ignored++;
    const parsed = TrackedEvent.safeParse(withDefaults(item, sentAt));
    if (parsed.success) events.push(parsed.data);
    else issues.push(...issuesOf(parsed.error).map((issue) => ({ ...issue, path: ['batch', i, ...issue.path] })));
  });
  if (issues.length) throw new Failure(400, 'invalid_batch', `${issues[0]!.path.join('.')}: ${issues[0]!.message}`, issues.slice(0, 50));
  return { events, ignored };
}

/**
 * Segment's HTTP tracking API, so Segment-compatible SDKs (analytics-node, analytics.js, ...) can
 * send here: HTTP Basic auth with the site key as write key. Calls from a browser (with an
 * Origin) must come from an origin the site allows; server-side calls carry no Origin.
 */
export function segmentRoutes(store: Store, config: AppConfig, gate: IngestGate): Hono {
  const app = new Hono();

  async function authorized(c: Context, json: unknown): Promise<Site> {
    const site = await gate.site(writeKeyOf(c, json), ['writeKey']);
    if (!site) throw new Failure(401, 'invalid_write_key', 'authenticate with HTTP Basic auth: the site key as user name, no password', undefined, challenge);
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (!(await gate.originAllowed(c, site, origin))) throw new Failure(403, 'origin_not_allowed', `the origin ${origin.slice(0, 200)} is not allowed for this site`);
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    gate.limitSite(site);
    return site;
  }

  async function ingest(c: Context, site: Site, raw: unknown[], sentAt: string | undefined) {
    const now = config.now();
    const { events, ignored } = validEvents(raw, sentAt ?? new Date(now).toISOString());
    const result = events.length ? await store.ingest(site, prepareEvents(events, now, sentAt), now) : { accepted: 0, duplicates: 0 };
    return c.json({ success: true, ...result, ignored }, 200);
  }

  app.post('/batch', async (c) => {
    gate.limitClient(c);
    const json = parseJsonText(await readBody(c, config.ingestBodyLimit));
    const site = await authorized(c, json);
    const body = parseWith(SegmentBatch, json, 'invalid_batch');
    return ingest(c, site, body.batch, body.sentAt);
  });

  app.post('/:type{track|identify|page|alias|screen|group}', async (c) => {
    gate.limitClient(c);
    const json = parseJsonText(await readBody(c, config.ingestBodyLimit));
    const site = await authorized(c, json);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Failure(400, 'invalid_event', 'the body must be one event object');
    const { sentAt } = parseWith(SentAt, json, 'invalid_event');
    return ingest(c, site, [{ ...json, type: c.req.param('type') }], sentAt);
  });

  return app;
}
