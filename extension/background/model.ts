import type { ScoringModel } from '../../shared';
import type { ApiClient } from './api';
import type { LeadscoreDb } from './db';

const KEY = 'model';
const FRESH_MS = 10 * 60_000;

/** The workspace's scoring model, for the popup's instant preview; the last copy serves while offline. */
export class ModelStore {
  constructor(
    private readonly db: Promise<LeadscoreDb>,
    private readonly api: ApiClient,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<ScoringModel> {
    const db = await this.db;
    const cached = (await db.get('kv', KEY)) as { model: ScoringModel; fetchedAt: number } | undefined;
    if (cached && this.now() - cached.fetchedAt < FRESH_MS) return cached.model;
    try {
      const model = await this.api.model();
      await db.put('kv', { model, fetchedAt: this.now() }, KEY);
      return model;
    } catch (error) {
      if (cached) return cached.model;
      throw error;
    }
  }

  async clear(): Promise<void> {
    await (await this.db).delete('kv', KEY);
  }
}
