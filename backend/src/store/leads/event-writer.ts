import type { Insertable } from 'kysely';
import type { Database, Db } from '../sql/schema';

export type EventRow = Insertable<Database['events']>;

/** The (actor, message_id) of an event row that was new. */
export interface InsertedEvent {
  actor: string;
  message_id: string;
}

/**
 * How ingest stores a batch's events inside its transaction, each once: an event whose
 * (workspace, actor, messageId, site) is stored already is skipped, and only the new ones come
 * back. Kysely's multi-row statement by default; SQLite brings a prepared statement
 * (sqlite-event-writer.ts), which spares building a 130-parameter statement per request.
 */
export interface EventWriter {
  insertNew(trx: Db, rows: EventRow[]): Promise<InsertedEvent[]>;
}

export const kyselyEventWriter: EventWriter = {
  insertNew(trx, rows) {
    return trx
      .insertInto('events')
      .values(rows)
      .onConflict((oc) => oc.columns(['workspace_id', 'actor', 'message_id', 'site_id']).doNothing())
      .returning(['actor', 'message_id'])
      .execute();
  },
};
