import type { LeadPatch, LeadSummary } from '../../shared';
import type { QueueStatus } from '../protocol';
import { BackendError, type ApiClient } from './api';
import type { LeadscoreDb, QueuedEdit } from './db';

export interface QueueHooks {
  /** A patch reached the backend; `lead` is what it answered. */
  onSaved(lead: LeadSummary): Promise<void> | void;
  /** Wake the queue at this time (a timer while the worker lives, an alarm in case it does not). */
  schedule(at: number): void;
}

export interface QueueOptions {
  now?: () => number;
  random?: () => number;
  newKey?: () => string;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/** 1 s, 2 s, 4 s ... up to a minute, with +-20 % jitter so that many reps do not retry in step. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.8 + 0.4 * random()));
}

export type EditOutcome = { state: 'saved'; lead: LeadSummary } | { state: 'rejected'; reason: string } | { state: 'pending'; lastError?: string };

/**
 * Tag edits, persisted in IndexedDB before anything is sent, replayed strictly in order. Each
 * edit keeps the idempotency key it was given when queued, so a replay after a lost answer (or
 * a worker killed mid-request) is applied once by the backend. One replay runs at a time.
 * An edit the backend refuses for good (4xx other than 401) is set aside, with the reason, so
 * it does not block the edits behind it.
 */
export class TagQueue {
  private running: Promise<void> | null = null;
  private rerun = false;
  private readonly outcomes = new Map<number, EditOutcome>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly newKey: () => string;

  constructor(
    private readonly db: Promise<LeadscoreDb>,
    private readonly api: ApiClient,
    private readonly hooks: QueueHooks,
    options: QueueOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.newKey = options.newKey ?? (() => crypto.randomUUID());
  }

  async enqueue(leadId: string, patch: LeadPatch): Promise<number> {
    const now = this.now();
    const edit: QueuedEdit = { leadId, patch, idempotencyKey: this.newKey(), createdAt: now, attempts: 0, nextAttemptAt: now };
    return (await this.db).add('queue', edit);
  }

  /** Sends queued edits now, in order, until the queue is empty or the backend fails. */
  flush(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      let blocked = false;
      do {
        this.rerun = false;
        blocked = await this.drain();
      } while (this.rerun && !blocked);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  outcome(seq: number): EditOutcome {
    return this.outcomes.get(seq) ?? { state: 'pending' };
  }

  async status(): Promise<QueueStatus> {
    const db = await this.db;
    const view = ({ seq, leadId, patch, createdAt, attempts, lastError }: QueuedEdit) => ({ seq: seq!, leadId, patch, createdAt, attempts, ...(lastError ? { lastError } : {}) });
    const [pending, rejected] = await Promise.all([db.getAll('queue'), db.getAll('rejected')]);
    return { pending: pending.map(view), rejected: rejected.map((r) => ({ ...view(r), reason: r.reason })) };
  }

  /** Returns true when the backend failed and the rest must wait. */
  private async drain(): Promise<boolean> {
    const db = await this.db;
    for (;;) {
      const edit = (await db.transaction('queue').store.openCursor())?.value;
      if (!edit) return false;
      const seq = edit.seq!;
      try {
        const lead = await this.api.patch(edit.leadId, edit.patch, edit.idempotencyKey);
        await db.delete('queue', seq);
        this.outcomes.set(seq, { state: 'saved', lead });
        await this.hooks.onSaved(lead);
      } catch (error) {
        if (error instanceof BackendError && !error.retryable) {
          await this.reject(edit, error.message);
          continue;
        }
        await this.retryLater(edit, (error as Error).message);
        return true;
      }
    }
  }

  private async reject(edit: QueuedEdit, reason: string): Promise<void> {
    const tx = (await this.db).transaction(['queue', 'rejected'], 'readwrite');
    await Promise.all([tx.objectStore('rejected').put({ ...edit, reason, rejectedAt: this.now() }), tx.objectStore('queue').delete(edit.seq!), tx.done]);
    this.outcomes.set(edit.seq!, { state: 'rejected', reason });
  }

  private async retryLater(edit: QueuedEdit, lastError: string): Promise<void> {
    const attempts = edit.attempts + 1;
    const nextAttemptAt = this.now() + backoffMs(attempts, this.random);
    await (await this.db).put('queue', { ...edit, attempts, nextAttemptAt, lastError });
    this.outcomes.set(edit.seq!, { state: 'pending', lastError });
    this.hooks.schedule(nextAttemptAt);
  }
}
