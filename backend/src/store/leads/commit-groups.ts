import type { PreparedEvent } from '../../domain/events';
import type { Db } from '../sql/schema';
import type { IngestResult, Site } from '../store';

interface Job {
  site: Site;
  events: PreparedEvent[];
  now: number;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

/** Enough to amortize a commit, few enough that no request waits long behind others. */
const MAX_EVENTS_PER_TRANSACTION = 2_000;

/**
 * Group commit for ingest. Batches that arrive while a workspace's previous transaction is
 * running are stored together in the next one: a batch still commits whole or not at all, and
 * nobody is answered before the commit. One commit (one WAL append, one fsync on PostgreSQL)
 * then serves many requests instead of one. A batch that arrives when nothing is running waits
 * only for the current turn of the event loop.
 */
export class IngestQueue {
  readonly #waiting = new Map<string, Job[]>();
  readonly #draining = new Set<string>();

  constructor(
    private readonly transaction: <T>(workspaceId: string, work: (trx: Db) => Promise<T>) => Promise<T>,
    /** Per transaction: what stores one batch in it (so what a group shares, such as the model, is read once). */
    private readonly inTransaction: (trx: Db, workspaceId: string) => (site: Site, events: PreparedEvent[], now: number) => Promise<IngestResult>,
  ) {}

  submit(site: Site, events: PreparedEvent[], now: number): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      const jobs = this.#waiting.get(site.workspaceId) ?? [];
      jobs.push({ site, events, now, resolve, reject });
      this.#waiting.set(site.workspaceId, jobs);
      if (this.#draining.has(site.workspaceId)) return;
      this.#draining.add(site.workspaceId);
      // After the I/O callbacks of this turn of the event loop: requests read together commit together.
      setImmediate(() => void this.#drain(site.workspaceId));
    });
  }

  async #drain(workspaceId: string): Promise<void> {
    try {
      for (let jobs = this.#take(workspaceId); jobs.length > 0; jobs = this.#take(workspaceId)) await this.#commit(workspaceId, jobs);
    } finally {
      this.#draining.delete(workspaceId);
    }
  }

  #take(workspaceId: string): Job[] {
    const waiting = this.#waiting.get(workspaceId) ?? [];
    let events = 0;
    let count = 0;
    while (count < waiting.length && (count === 0 || events + waiting[count]!.events.length <= MAX_EVENTS_PER_TRANSACTION)) {
      events += waiting[count]!.events.length;
      count++;
    }
    const taken = waiting.splice(0, count);
    if (waiting.length === 0) this.#waiting.delete(workspaceId);
    return taken;
  }

  /**
   * All jobs in one transaction. If one fails, nothing of the group is kept and each job runs
   * again alone, so only the failing batch is refused (failures are rare: input is validated
   * before it gets here).
   */
  async #commit(workspaceId: string, jobs: Job[]): Promise<void> {
    try {
      const results = await this.transaction(workspaceId, async (trx) => {
        const ingestOne = this.inTransaction(trx, workspaceId);
        const attempt: IngestResult[] = [];
        for (const job of jobs) attempt.push(await ingestOne(job.site, job.events, job.now));
        return attempt;
      });
      results.forEach((result, i) => jobs[i]!.resolve(result));
    } catch (error) {
      if (jobs.length === 1) return jobs[0]!.reject(error);
      for (const job of jobs) await this.#commit(workspaceId, [job]);
    }
  }
}
