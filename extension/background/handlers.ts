import { normalizeLinkedinUrl, type LeadSummary } from '../../shared';
import type { PageRequest, Responses, TagResult } from '../protocol';
import { BackendError, type ApiClient } from './api';
import type { LeadCache } from './cache';
import { testConnection } from './connection';
import type { LookupService } from './lookups';
import type { ModelStore } from './model';
import type { TagQueue } from './queue';
import type { SettingsStore } from './settings';

export interface Services {
  settings: SettingsStore;
  api: ApiClient;
  cache: LeadCache;
  lookups: LookupService;
  queue: TagQueue;
  models: ModelStore;
  /** Opens the popup page for one lead (from a card's "Tag" button). */
  openTagger(leadId: string): Promise<void>;
  /** Whether the extension holds the host permission for this URL's origin. */
  hasPermission(url: string): Promise<boolean>;
  /** Caches a lead the backend returned and updates open pages. */
  saved(lead: LeadSummary): Promise<void>;
  now(): number;
}

type Handlers = { [T in PageRequest['type']]: (request: Extract<PageRequest, { type: T }>, s: Services) => Promise<Responses[T]> };

/** Queues the edit, tries to send it (and anything queued before it) now, and says what happened. */
async function tag(s: Services, leadId: string, patch: Extract<PageRequest, { type: 'lead.tag' }>['patch']): Promise<TagResult> {
  const seq = await s.queue.enqueue(leadId, patch);
  await s.queue.flush();
  const outcome = s.queue.outcome(seq);
  if (outcome.state === 'saved') return { state: 'saved', lead: outcome.lead };
  if (outcome.state === 'rejected') return { state: 'rejected', reason: outcome.reason };
  const { pending } = await s.queue.status();
  return { state: 'queued', reason: outcome.lastError ?? 'waiting for earlier edits', pending: pending.length };
}

const handlers: Handlers = {
  lookup: (r, s) => s.lookups.lookup(r.keys),
  openTagger: async (r, s) => {
    await s.openTagger(r.leadId);
    return null;
  },
  'settings.get': async (_r, s) => {
    const { backendUrl, token } = await s.settings.get();
    return { backendUrl, hasToken: Boolean(token) };
  },
  'settings.save': async (r, s) => {
    const changed = await s.settings.save(r.backendUrl, r.token);
    // Cached leads belong to the old backend/workspace. Queued edits are kept: they are the
    // rep's work, and a rotated token for the same workspace should still deliver them.
    if (changed) await Promise.all([s.cache.prune(s.now(), true), s.models.clear()]);
    void s.queue.flush();
    const { backendUrl, token } = await s.settings.get();
    return { backendUrl, hasToken: Boolean(token) };
  },
  'connection.test': async (r, s) => {
    const saved = await s.settings.get();
    const backendUrl = (r.backendUrl ?? saved.backendUrl).replace(/\/+$/, '');
    const token = r.token?.trim() || saved.token;
    return testConnection({ backendUrl, token, permitted: await s.hasPermission(backendUrl) });
  },
  'lead.detail': async (r, s) => {
    try {
      const detail = await s.api.detail(r.id);
      await s.cache.writeDetail(detail);
      return detail;
    } catch (error) {
      const cached = error instanceof BackendError && error.retryable ? await s.cache.readDetail(r.id) : undefined;
      if (cached) return cached;
      throw error;
    }
  },
  'lead.top': async (r, s) => {
    const leads = await s.api.top(r.tier, r.limit);
    await Promise.all(leads.map((lead) => s.cache.writeLead(lead, s.now())));
    return leads;
  },
  'lead.tag': (r, s) => tag(s, r.leadId, r.patch),
  'lead.link': async (r, s) => {
    const linkedinUrl = normalizeLinkedinUrl(r.linkedinUrl);
    if (!linkedinUrl) throw new BackendError('rejected', 'That is not a LinkedIn profile URL (https://www.linkedin.com/in/...).');
    const existing = (await s.api.lookup([r.email]))[r.email];
    if (existing) return tag(s, existing.id, { linkedinUrl });
    const lead = await s.api.create({ email: r.email, linkedinUrl, ...(r.name ? { name: r.name } : {}) });
    await s.saved(lead);
    return { state: 'saved', lead };
  },
  'model.get': (_r, s) => s.models.get(),
  'queue.status': async (_r, s) => {
    void s.queue.flush();
    return s.queue.status();
  },
};

export function handle<T extends PageRequest['type']>(request: Extract<PageRequest, { type: T }>, services: Services): Promise<Responses[T]> {
  return (handlers[request.type] as (r: typeof request, s: Services) => Promise<Responses[T]>)(request, services);
}
