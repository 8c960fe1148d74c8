import type Database from 'better-sqlite3';
import { refuseUnstorable } from '../sql/storable-text-plugin';
import type { EventRow, EventWriter, InsertedEvent } from './event-writer';

const COLUMNS = ['workspace_id', 'site_id', 'message_id', 'type', 'name', 'anonymous_id', 'user_id', 'actor', 'lead_id', 'properties', 'context', 'at', 'received_at'] as const satisfies readonly (keyof EventRow)[];

/**
 * Ingest's event insert as one prepared statement on the store's connection, run per event. It
 * runs inside the ingest transaction, which holds that one connection, so nothing interleaves.
 * Its values are checked as the Kysely plugin checks every query's, all before the first insert.
 */
export function sqliteEventWriter(sqlite: Database.Database): EventWriter {
  const insert = sqlite.prepare<unknown[], InsertedEvent>(
    `insert into events (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})
      on conflict (workspace_id, actor, message_id, site_id) do nothing returning actor, message_id`,
  );
  return {
    async insertNew(_trx, rows) {
      const values = rows.map((row) => COLUMNS.map((c) => row[c] ?? null));
      refuseUnstorable(values);
      const inserted: InsertedEvent[] = [];
      for (const row of values) {
        const added = insert.get(row);
        if (added) inserted.push(added);
      }
      return inserted;
    },
  };
}
