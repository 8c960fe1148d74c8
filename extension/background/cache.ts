import type { LeadDetail, LeadSummary } from '../../shared';
import { keysOfLead, type LeadKey } from '../keys';
import type { LeadscoreDb } from './db';

export interface Freshness {
  /** Younger than this: answered from the cache, no request. */
  freshMs: number;
  /** Younger than this: answered from the cache at once, and revalidated in the background. Older: asked again. */
  maxAgeMs: number;
}

export const DEFAULT_FRESHNESS: Freshness = { freshMs: 5 * 60_000, maxAgeMs: 7 * 24 * 60 * 60_000 };

export interface CachedAnswer {
  lead: LeadSummary | null;
  fresh: boolean;
}

/**
 * Lead summaries by key, in IndexedDB so they survive the service worker being stopped.
 * Keys point at lead ids, so one saved tag updates the lead under all of its keys.
 */
export class LeadCache {
  constructor(
    private readonly db: Promise<LeadscoreDb>,
    readonly freshness: Freshness = DEFAULT_FRESHNESS,
  ) {}

  /** Cached answers for `keys`; keys never seen or older than maxAge are left out. */
  async read(keys: LeadKey[], now: number): Promise<Map<LeadKey, CachedAnswer>> {
    const tx = (await this.db).transaction(['lookups', 'leads']);
    const lookups = tx.objectStore('lookups');
    const leads = tx.objectStore('leads');
    const answers = new Map<LeadKey, CachedAnswer>();
    await Promise.all(
      keys.map(async (key) => {
        const entry = await lookups.get(key);
        if (!entry || now - entry.fetchedAt >= this.freshness.maxAgeMs) return;
        const lead = entry.leadId === null ? null : ((await leads.get(entry.leadId))?.lead ?? undefined);
        if (lead === undefined) return;
        answers.set(key, { lead, fresh: now - entry.fetchedAt < this.freshness.freshMs });
      }),
    );
    await tx.done;
    return answers;
  }

  /** Records what the backend said for each key (a lead or "not a lead"). */
  async write(answers: Map<LeadKey, LeadSummary | null>, now: number): Promise<void> {
    const tx = (await this.db).transaction(['lookups', 'leads'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    for (const [key, lead] of answers) {
      writes.push(tx.objectStore('lookups').put({ key, leadId: lead?.id ?? null, fetchedAt: now }));
      if (lead) writes.push(tx.objectStore('leads').put({ lead, fetchedAt: now }, lead.id));
    }
    await Promise.all([...writes, tx.done]);
  }

  /** A lead the backend just returned (after a save): fresh under every key it has. */
  async writeLead(lead: LeadSummary, now: number): Promise<LeadKey[]> {
    const keys = keysOfLead(lead);
    await this.write(new Map(keys.map((key) => [key, lead])), now);
    if (!keys.length) {
      const tx = (await this.db).transaction('leads', 'readwrite');
      await Promise.all([tx.store.put({ lead, fetchedAt: now }, lead.id), tx.done]);
    }
    return keys;
  }

  /** The last detail seen for a lead: the popup's tag form works from it while the backend is away. */
  async writeDetail(detail: LeadDetail): Promise<void> {
    await (await this.db).put('kv', detail, `detail:${detail.id}`);
  }

  async readDetail(id: string): Promise<LeadDetail | undefined> {
    return (await (await this.db).get('kv', `detail:${id}`)) as LeadDetail | undefined;
  }

  /** Drops everything older than maxAge (and everything, after the backend or token changed). */
  async prune(now: number, everything = false): Promise<void> {
    const tx = (await this.db).transaction(['lookups', 'leads'], 'readwrite');
    for (const name of ['lookups', 'leads'] as const) {
      for (let cursor = await tx.objectStore(name).openCursor(); cursor; cursor = await cursor.continue()) {
        if (everything || now - cursor.value.fetchedAt >= this.freshness.maxAgeMs) await cursor.delete();
      }
    }
    await tx.done;
    if (everything) await (await this.db).delete('kv', IDBKeyRange.bound('detail:', 'detail:\uffff'));
  }
}
