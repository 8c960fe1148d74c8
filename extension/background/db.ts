import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LeadPatch, LeadSummary } from '../../shared';
import type { LeadKey } from '../keys';

/** A tag edit waiting to reach the backend; `idempotencyKey` is fixed when it is queued. */
export interface QueuedEdit {
  seq?: number;
  leadId: string;
  patch: LeadPatch;
  idempotencyKey: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export interface RejectedEdit extends QueuedEdit {
  reason: string;
  rejectedAt: number;
}

export interface LeadscoreSchema extends DBSchema {
  /** Settings (backend URL, token) and the cached scoring model. */
  kv: { key: string; value: unknown };
  leads: { key: string; value: { lead: LeadSummary; fetchedAt: number } };
  /** What a key resolved to: a lead id, or null for "not a lead". */
  lookups: { key: LeadKey; value: { key: LeadKey; leadId: string | null; fetchedAt: number } };
  queue: { key: number; value: QueuedEdit };
  rejected: { key: number; value: RejectedEdit };
}

export type LeadscoreDb = IDBPDatabase<LeadscoreSchema>;

/**
 * The extension's own IndexedDB. It lives on the extension's origin, which content scripts
 * (running on the mail site's origin) cannot open: that is why the token is kept here.
 */
export function openLeadscoreDb(name = 'leadscore'): Promise<LeadscoreDb> {
  return openDB<LeadscoreSchema>(name, 1, {
    upgrade(db) {
      db.createObjectStore('kv');
      db.createObjectStore('leads');
      db.createObjectStore('lookups', { keyPath: 'key' });
      db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('rejected', { keyPath: 'seq' });
    },
  });
}
