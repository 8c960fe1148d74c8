import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LeadListQuery, type LeadListResponse, type LeadListRow, LeadMerge, LeadPatch, MAX_EMAIL_LENGTH, MAX_LOOKUP_PER_KIND, MAX_TIMELINE_PAGE, MAX_TOP_LEADS, NewLead, storableText } from '../../../shared/index';
import type { AppConfig } from '../config';
import { Failure } from '../http/failure';
import { normalizeEmail } from '../../../shared/email';
import { normalizeLinkedinUrl } from '../../../shared/linkedin';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { readBody } from '../http/body';
import { parseJsonText, parseWith, requireStorable } from '../http/errors';
import { decodeCursor, encodeCursor } from '../leads/cursor';
import { decodeListCursor, encodeListCursor } from '../leads/list-cursor';
import { summarize, toDetail } from '../leads/present';
import type { Idempotency, LeadListRecord, LeadRecord, LeadWrite, Store } from '../store/store';

const LookupQuery = storableText(
  z
    .object({
      email: z.array(z.string().max(MAX_EMAIL_LENGTH)).max(MAX_LOOKUP_PER_KIND),
      linkedin: z.array(z.string().max(500)).max(MAX_LOOKUP_PER_KIND),
      externalId: z.array(z.string().max(200)).max(MAX_LOOKUP_PER_KIND),
    })
    .refine((q) => q.email.length + q.linkedin.length + q.externalId.length > 0, 'ask for at least one email=..., linkedin=... or externalId=...'),
);
const TopQuery = storableText(z.object({ tier: z.string().min(1).max(30).optional(), limit: z.coerce.number().int().min(1).max(MAX_TOP_LEADS).default(20) }));
const DetailQuery = storableText(z.object({ cursor: z.string().min(1).max(100).optional(), limit: z.coerce.number().int().min(1).max(MAX_TIMELINE_PAGE).default(50) }));
const IdempotencyKey = z.string().min(1).max(200);

/** How many leads /top reads at most to fill its list (their stored order is the order at the last write). */
const TOP_SCAN_LIMIT = 2_000;
const TOP_PAGE = 200;

/** Every value of a repeated or comma-separated query parameter. */
function listParam(c: Context, name: string): string[] {
  return (c.req.queries(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** The Idempotency-Key header, bound to exactly this request (method, path and body). */
function idempotencyOf(c: Context, body: string): Idempotency | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  const parsed = IdempotencyKey.safeParse(key);
  if (!parsed.success) throw new Failure(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 200 characters');
  const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
  return { key: parsed.data, requestHash };
}

/** The :id of the path; an id no store can keep is refused, not looked up. */
const leadId = (c: Context) => requireStorable(c.req.param('id')!, ['id']);

function toListRow({ updatedAt, ...lead }: LeadListRecord): LeadListRow {
  return { ...lead, lastActivityAt: new Date(updatedAt).toISOString() };
}

const notFound = () => new Failure(404, 'not_found', 'no lead with this id');

export function leadRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const accountsOf = (workspaceId: string, leads: Iterable<LeadRecord>) => store.accountLines(workspaceId, [...leads].flatMap((l) => (l.accountId ? [l.accountId] : [])));

  app.get('/', async (c) => {
    const query = parseWith(LookupQuery, { email: listParam(c, 'email'), linkedin: listParam(c, 'linkedin'), externalId: listParam(c, 'externalId') }, 'invalid_query');
    const workspaceId = c.get('token').workspaceId;
    const [{ compiled }, { byEmail, byLinkedin, byExternalId, accounts }] = await Promise.all([
      store.currentModel(workspaceId),
      store.lookUpLeads(workspaceId, { emails: query.email, linkedinUrls: query.linkedin, externalIds: query.externalId }),
    ]);
    const now = config.now();
    const leads: Record<string, ReturnType<typeof summarize> | null> = {};
    for (const email of query.email) {
      const lead = byEmail.get(normalizeEmail(email));
      leads[email] = lead ? summarize(lead, compiled, now, accounts) : null;
    }
    for (const url of query.linkedin) {
      const normalized = normalizeLinkedinUrl(url);
      const lead = normalized ? byLinkedin.get(normalized) : undefined;
      leads[url] = lead ? summarize(lead, compiled, now, accounts) : null;
    }
    for (const id of query.externalId) {
      const lead = byExternalId.get(id);
      leads[id] = lead ? summarize(lead, compiled, now, accounts) : null;
    }
    return c.json({ leads });
  });

  app.get('/top', async (c) => {
    const query = parseWith(TopQuery, c.req.query(), 'invalid_query');
    const workspaceId = c.get('token').workspaceId;
    const { model, compiled } = await store.currentModel(workspaceId);
    const tier = query.tier === undefined ? undefined : model.tiers.find((t) => t.name === query.tier);
    if (query.tier !== undefined && !tier) throw new Failure(400, 'unknown_tier', `the model's tiers are ${model.tiers.map((t) => t.name).join(', ')}`);
    const now = config.now();
    const picked: ReturnType<typeof summarize>[] = [];
    for (let offset = 0; offset < TOP_SCAN_LIMIT && picked.length < query.limit; offset += TOP_PAGE) {
      const page = await store.leadsByScore(workspaceId, { minScore: tier?.min ?? 0, offset, limit: TOP_PAGE });
      const accounts = await accountsOf(workspaceId, page);
      for (const lead of page) {
        const summary = summarize(lead, compiled, now, accounts);
        if (!tier || summary.tier === tier.name) picked.push(summary);
      }
      if (page.length < TOP_PAGE) break;
    }
    picked.sort((a, b) => b.score - a.score);
    return c.json({ tier: tier?.name ?? null, leads: picked.slice(0, query.limit) });
  });

  // The console's table. Before /:id, which would otherwise take "list" for an id.
  app.get('/list', async (c) => {
    const query = parseWith(LeadListQuery, c.req.query(), 'invalid_query');
    const after = query.cursor === undefined ? undefined : decodeListCursor(query.sort, query.cursor);
    const filter = { search: query.q || undefined, tier: query.tier, stage: query.stage, grade: query.grade, outcome: query.outcome };
    const page = await store.listLeads(c.get('token').workspaceId, filter, { sort: query.sort, after }, query.limit);
    return c.json({ leads: page.leads.map(toListRow), nextCursor: page.next && encodeListCursor(query.sort, page.next) } satisfies LeadListResponse);
  });

  app.post('/', async (c) => {
    const { replayed, summary } = await repEdit(c, NewLead, (input, workspaceId, key) => store.createLead(workspaceId, input, c.get('actor'), config.now(), key));
    return c.json(summary, replayed ? 200 : 201);
  });

  /** A rep's edit: the body validated by `schema`, applied at most once per Idempotency-Key, answered with the lead scored now. */
  const repEdit = async <S extends z.ZodType>(
    c: Context<AuthEnv>,
    schema: S,
    apply: (input: S['_output'], workspaceId: string, idempotency: Idempotency | undefined) => Promise<LeadWrite | undefined>,
    missing: () => Failure = notFound,
  ) => {
    const body = await readBody(c, config.apiBodyLimit);
    const input = parseWith(schema, parseJsonText(body), 'invalid_body');
    const workspaceId = c.get('token').workspaceId;
    const write = await apply(input, workspaceId, idempotencyOf(c, body));
    if (!write) throw missing();
    const { compiled } = await store.currentModel(workspaceId);
    if (write.replayed) c.header('Idempotent-Replayed', 'true');
    return { replayed: write.replayed, summary: summarize(write.lead, compiled, config.now(), await accountsOf(workspaceId, [write.lead])) };
  };

  app.get('/:id', async (c) => {
    const query = parseWith(DetailQuery, c.req.query(), 'invalid_query');
    const workspaceId = c.get('token').workspaceId;
    const lead = await store.getLead(workspaceId, leadId(c));
    if (!lead) throw notFound();
    const [{ compiled }, history, page, accounts] = await Promise.all([
      store.currentModel(workspaceId),
      store.stageHistory(workspaceId, lead.id),
      store.timeline(workspaceId, lead.id, { before: query.cursor ? decodeCursor(query.cursor) : undefined, limit: query.limit }),
      accountsOf(workspaceId, [lead]),
    ]);
    const timeline = { events: page.events, nextCursor: page.next && encodeCursor(page.next) };
    return c.json(toDetail(lead, compiled, config.now(), history, timeline, accounts));
  });

  app.patch('/:id', async (c) => {
    const { summary } = await repEdit(c, LeadPatch, (patch, workspaceId, key) => store.patchLead(workspaceId, leadId(c), patch, c.get('actor'), config.now(), key));
    return c.json(summary);
  });

  // Ingest never merges two known leads (anyone with the site key could); a rep does, here.
  app.post('/:id/merge', async (c) => {
    const { summary } = await repEdit(
      c,
      LeadMerge,
      ({ other }, workspaceId, key) => store.mergeLeads(workspaceId, leadId(c), other, c.get('actor'), config.now(), key),
      () => new Failure(404, 'not_found', 'no lead with this id, or no lead with the id in "other", in this workspace'),
    );
    return c.json(summary);
  });

  app.delete('/:id', requireAdmin, async (c) => {
    const erased = await store.eraseLead(c.get('token').workspaceId, leadId(c), config.now());
    if (!erased) throw notFound();
    config.logger.info('lead erased', { leadId: leadId(c), ...erased });
    return c.json({ erased: true, ...erased });
  });

  return app;
}
