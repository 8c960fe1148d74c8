import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../sql/dialect';

/**
 * 0009: webhooks. Endpoints per workspace; the outbox (`webhook_messages`: one row per event,
 * written in the transaction of the change that caused it); and one delivery per (endpoint,
 * message), which the dispatcher claims, retries and finally marks delivered or failed.
 */
export async function createWebhookTables(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    /** JSON array of event types. */
    .addColumn('events', 'text', (c) => c.notNull())
    /** JSON array of whsec_ secrets, newest first: two during a rotation, every delivery signed with each. */
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .addColumn('disabled_reason', 'text')
    /** The first failed attempt since the last success; three days of failing disables the endpoint. */
    .addColumn('failing_since', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_endpoints_by_workspace').on('webhook_endpoints').columns(['workspace_id', 'created_at']).execute();

  await dialect
    .addSerialId(db.schema.createTable('webhook_messages'))
    /** The webhook-id header (msg_...): the same on every attempt and every endpoint. */
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    /** The lead the event is about (null: model.changed); an erase removes its rows. */
    .addColumn('lead_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    /** The exact JSON body sent, so every attempt and replay sends (and signs) the same bytes. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_messages_by_lead').on('webhook_messages').column('lead_id').execute();

  await dialect
    .addSerialId(db.schema.createTable('webhook_deliveries'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('message_seq', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    /** Deliveries with the same (endpoint, order_key) go out one at a time in id order: the lead id, or 'workspace'. */
    .addColumn('order_key', 'text', (c) => c.notNull())
    /** pending | delivered | failed */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'bigint')
    /** The dispatcher holding the delivery until `leased_until` (an expired lease may be taken). */
    .addColumn('leased_by', 'text')
    .addColumn('leased_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // Partial indexes over pending deliveries only: a delivered one leaves them (one index entry removed, not
  // moved), and the claims read indexes as small as the backlog, however long the delivery log grows.
  const pending = sql<boolean>`state = 'pending'`;
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').column('next_attempt_at').where(pending).execute();
  await db.schema.createIndex('webhook_deliveries_in_order').on('webhook_deliveries').columns(['endpoint_id', 'order_key', 'id']).where(pending).execute();
  await db.schema.createIndex('webhook_deliveries_by_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_by_message').on('webhook_deliveries').column('message_seq').execute();
}
