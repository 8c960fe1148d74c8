import { MAX_LOOKUP_PER_KIND, type LeadSummary } from '../../shared';
import type { LeadKey } from '../keys';
import type { LookupAnswer } from '../protocol';
import type { ApiClient } from './api';
import type { LeadCache } from './cache';

type Resolution = LeadSummary | null | undefined;

export interface LookupOptions {
  /** How long to gather keys from all tabs before asking the backend once. */
  batchWindowMs?: number;
  now?: () => number;
  /** Called with entries whose revalidation changed them, to update open pages. */
  onRevalidated?: (entries: { key: LeadKey; lead: LeadSummary | null }[]) => void;
  /** Called after a request succeeded: a good moment to replay queued edits. */
  onReachable?: () => void;
}

/** Equal for a rep: `scoredAt` moves on every read and alone is no reason to update open pages. */
function sameLead(a: LeadSummary | null, b: LeadSummary | null | undefined): boolean {
  const visible = (lead: LeadSummary | null | undefined) => (lead ? JSON.stringify({ ...lead, scoredAt: undefined }) : String(lead));
  return visible(a) === visible(b);
}

interface Waiting {
  key: LeadKey;
  resolve: (value: Resolution) => void;
}

/**
 * Answers lookups from the cache (stale-while-revalidate) and coalesces what must be fetched:
 * keys asked by any tab within one short window become one request (per 100 addresses), and a
 * key already being fetched is not fetched again.
 */
export class LookupService {
  private queued = new Map<LeadKey, Waiting[]>();
  private readonly inflight = new Map<LeadKey, Promise<Resolution>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly batchWindowMs: number;
  private readonly now: () => number;
  /** Requests sent to the backend so far (for the benchmark and tests). */
  requests = 0;

  constructor(
    private readonly cache: LeadCache,
    private readonly api: ApiClient,
    private readonly options: LookupOptions = {},
  ) {
    this.batchWindowMs = options.batchWindowMs ?? 15;
    this.now = options.now ?? Date.now;
  }

  async lookup(keys: LeadKey[]): Promise<LookupAnswer> {
    const cached = await this.cache.read(keys, this.now());
    const answer: LookupAnswer = {};
    const stale: LeadKey[] = [];
    const missing: LeadKey[] = [];
    for (const key of keys) {
      const hit = cached.get(key);
      if (!hit) missing.push(key);
      else {
        answer[key] = hit.lead;
        if (!hit.fresh) stale.push(key);
      }
    }
    if (stale.length) void this.revalidate(stale, cached);
    const fetched = await this.fetch(missing);
    for (const [key, lead] of fetched) if (lead !== undefined) answer[key] = lead;
    return answer;
  }

  /** Fetches keys in the next batch; undefined for a key means the backend could not be asked. */
  fetch(keys: LeadKey[]): Promise<Map<LeadKey, Resolution>> {
    return Promise.all(keys.map(async (key) => [key, await this.fetchOne(key)] as const)).then((pairs) => new Map(pairs));
  }

  private fetchOne(key: LeadKey): Promise<Resolution> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = new Promise<Resolution>((resolve) => {
      const waiting = this.queued.get(key) ?? [];
      waiting.push({ key, resolve });
      this.queued.set(key, waiting);
    });
    this.inflight.set(key, promise);
    this.timer ??= setTimeout(() => void this.flush(), this.batchWindowMs);
    return promise;
  }

  private async revalidate(keys: LeadKey[], before: Map<LeadKey, { lead: LeadSummary | null }>): Promise<void> {
    const fetched = await this.fetch(keys);
    const changed = [...fetched]
      .filter(([key, lead]) => lead !== undefined && !sameLead(lead, before.get(key)?.lead))
      .map(([key, lead]) => ({ key, lead: lead ?? null }));
    if (changed.length) this.options.onRevalidated?.(changed);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.queued;
    this.queued = new Map();
    const keys = [...batch.keys()];
    const results = await this.ask(keys);
    const known = new Map([...results].filter((entry): entry is [LeadKey, LeadSummary | null] => entry[1] !== undefined));
    if (known.size) await this.cache.write(known, this.now()).catch(() => {});
    for (const key of keys) {
      this.inflight.delete(key);
      for (const waiting of batch.get(key) ?? []) waiting.resolve(results.get(key));
    }
  }

  /** Emails and profile URLs travel together, 100 of each per request: one request per screenful. */
  private async ask(keys: LeadKey[]): Promise<Map<LeadKey, Resolution>> {
    const emails = keys.filter((key) => key.startsWith('email:')).map((key) => key.slice('email:'.length));
    const profiles = keys.filter((key) => key.startsWith('li:')).map((key) => key.slice('li:'.length));
    const results = new Map<LeadKey, Resolution>();
    const requests = Math.ceil(Math.max(emails.length, profiles.length) / MAX_LOOKUP_PER_KIND);
    await Promise.all(
      Array.from({ length: requests }, async (_, i) => {
        const someEmails = emails.slice(i * MAX_LOOKUP_PER_KIND, (i + 1) * MAX_LOOKUP_PER_KIND);
        const someProfiles = profiles.slice(i * MAX_LOOKUP_PER_KIND, (i + 1) * MAX_LOOKUP_PER_KIND);
        const answer = await this.call(() => this.api.lookup(someEmails, someProfiles));
        for (const email of someEmails) results.set(`email:${email}`, answer ? (answer[email] ?? null) : undefined);
        for (const url of someProfiles) results.set(`li:${url}`, answer ? (answer[url] ?? null) : undefined);
      }),
    );
    return results;
  }

  private async call<T>(request: () => Promise<T>): Promise<T | undefined> {
    this.requests++;
    try {
      const answer = await request();
      this.options.onReachable?.();
      return answer;
    } catch {
      return undefined;
    }
  }
}
