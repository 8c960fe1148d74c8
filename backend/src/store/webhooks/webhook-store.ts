import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { MAX_WEBHOOK_ENDPOINTS, type WebhookEventType } from '../../../../shared/index';
import { DomainError } from '../../domain/errors';
import { newId } from '../../domain/ids';
import type { DialectName } from '../sql/dialect';
import type { Database, Db } from '../sql/schema';

export interface WebhookEndpointRecord {
  id: string;
  workspaceId: string;
  url: string;
  events: WebhookEventType[];
  createdAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
  failingSince: number | null;
  /** During a rotation: until when the previous secret signs too. */
  previousSecretExpiresAt: number | null;
}

/** The `secrets` column: newest first; a previous secret signs until `expiresAt`. */
interface StoredSecret {
  secret: string;
  expiresAt: number | null;
}

/** The secrets that sign a delivery sent at `now`: the current one, and a previous one until it expires. */
export function signingSecrets(column: string, now: number): string[] {
  return (JSON.parse(column) as StoredSecret[]).filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secret);
}

export interface WebhookDeliveryRecord {
  id: number;
  endpointId: string;
  messageId: string;
  type: WebhookEventType;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  createdAt: number;
}

/** A delivery a dispatcher holds: what to send, where, and signed with which secrets. */
export interface ClaimedDelivery {
  id: number;
  endpointId: string;
  url: string;
  secrets: string[];
  messageId: string;
  payload: string;
  /** Attempts before this one. */
  attempts: number;
  failingSince: number | null;
}

/** What one attempt came to, decided by the dispatcher (see delivery-policy.ts). */
export interface AttemptOutcome {
  status: number | null;
  error: string | null;
  /** delivered; pending again at `nextAttemptAt`; or failed for good. */
  state: 'delivered' | 'pending' | 'failed';
  nextAttemptAt?: number;
  /** Stop every delivery to the endpoint, for this reason (410 Gone, three days of failures). */
  disableEndpoint?: string;
}

/** A new endpoint's signing secret: whsec_ and 24 random bytes in base64, as Standard Webhooks libraries expect. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

type EndpointRow = Database['webhook_endpoints'];

const PENDING = sql.lit('pending');
function endpointFromRow(row: EndpointRow): WebhookEndpointRecord {
  const previous = (JSON.parse(row.secrets) as StoredSecret[])[1];
  return {
    previousSecretExpiresAt: previous?.expiresAt ?? null,
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    createdAt: Number(row.created_at),
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since === null ? null : Number(row.failing_since),
  };
}

/** Endpoints, their deliveries, and the dispatcher's claims, on either database. */
export class WebhookStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
  ) {}

  async createEndpoint(workspaceId: string, url: string, events: WebhookEventType[], now: number): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
    const count = await this.db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_WEBHOOK_ENDPOINTS) throw new DomainError('conflict', 'too_many_webhooks', `a workspace may have ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints: remove one first`);
    const secret = newWebhookSecret();
    const row: EndpointRow = {
      id: newId('wh'),
      workspace_id: workspaceId,
      url,
      events: JSON.stringify([...new Set(events)]),
      secrets: JSON.stringify([{ secret, expiresAt: null }] satisfies StoredSecret[]),
      created_at: now,
      disabled_at: null,
      disabled_reason: null,
      failing_since: null,
    };
    await this.db.insertInto('webhook_endpoints').values(row).execute();
    return { endpoint: endpointFromRow(row), secret };
  }

  async listEndpoints(workspaceId: string): Promise<WebhookEndpointRecord[]> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
    return rows.map(endpointFromRow);
  }

  async getEndpoint(workspaceId: string, id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return row && endpointFromRow(row);
  }

  /**
   * A new signing secret; the previous one keeps signing beside it (two signatures per delivery)
   * for `keepPreviousMs`, so receivers can switch without a gap. Older secrets are dropped.
   */
  async rotateSecret(workspaceId: string, id: string, keepPreviousMs: number, now: number): Promise<{ endpoint: WebhookEndpointRecord; secret: string } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const [current] = JSON.parse(row.secrets) as StoredSecret[];
      const secret = newWebhookSecret();
      const secrets: StoredSecret[] = [{ secret, expiresAt: null }, ...(keepPreviousMs > 0 && current ? [{ secret: current.secret, expiresAt: now + keepPreviousMs }] : [])];
      await trx.updateTable('webhook_endpoints').set({ secrets: JSON.stringify(secrets) }).where('id', '=', id).execute();
      return { endpoint: endpointFromRow({ ...row, secrets: JSON.stringify(secrets) }), secret };
    });
  }

  /** Removes the endpoint and its deliveries (pending ones are never sent); false when there was none. */
  async removeEndpoint(workspaceId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('webhook_endpoints').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return false;
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      return true;
    });
  }

  /** The endpoint's deliveries, newest first. */
  async deliveries(endpointId: string, limit: number, beforeId?: number): Promise<WebhookDeliveryRecord[]> {
    let query = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_messages as m', 'm.id', 'd.message_seq')
      .select(['d.id', 'd.endpoint_id', 'd.message_id', 'm.type', 'd.state', 'd.attempts', 'd.next_attempt_at', 'd.last_attempt_at', 'd.last_status', 'd.last_error', 'd.delivered_at', 'd.created_at'])
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('d.id', 'desc')
      .limit(limit);
    if (beforeId !== undefined) query = query.where('d.id', '<', beforeId);
    const rows = await query.execute();
    const num = (v: number | null) => (v === null ? null : Number(v));
    return rows.map((r) => ({
      id: Number(r.id),
      endpointId: r.endpoint_id,
      messageId: r.message_id,
      type: r.type as WebhookEventType,
      state: r.state as WebhookDeliveryRecord['state'],
      attempts: r.attempts,
      nextAttemptAt: Number(r.next_attempt_at),
      lastAttemptAt: num(r.last_attempt_at),
      lastStatus: r.last_status,
      lastError: r.last_error,
      deliveredAt: num(r.delivered_at),
      createdAt: Number(r.created_at),
    }));
  }

  /** Sends a delivery's message again (same webhook-id) as a new delivery; undefined when there is no such delivery. */
  async replay(endpointId: string, deliveryId: number, now: number): Promise<WebhookDeliveryRecord | undefined> {
    const original = await this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('id', '=', deliveryId).executeTakeFirst();
    if (!original) return undefined;
    const inserted = await this.db
      .insertInto('webhook_deliveries')
      .values({
        endpoint_id: endpointId,
        message_seq: original.message_seq,
        message_id: original.message_id,
        order_key: original.order_key,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await this.deliveries(endpointId, 1, Number(inserted.id) + 1))[0];
  }

  /**
   * Takes up to `limit` due deliveries for `owner` until `now + leaseMs`. Only the earliest pending
   * delivery of each (endpoint, lead) is due, so a lead's events reach an endpoint in order. On
   * PostgreSQL the rows are claimed FOR UPDATE SKIP LOCKED, so instances claiming at once never
   * take the same one; the lease then keeps it theirs while they send.
   */
  async claim(owner: string, leaseMs: number, now: number, limit: number): Promise<ClaimedDelivery[]> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .innerJoin('webhook_messages as m', 'm.id', 'd.message_seq')
        .select(['d.id', 'd.endpoint_id', 'e.url', 'e.secrets', 'e.failing_since', 'd.message_id', 'm.payload', 'd.attempts'])
        // A literal, not a parameter: the planner then knows the partial indexes over pending deliveries apply.
        .where('d.state', '=', PENDING)
        .where('d.next_attempt_at', '<=', now)
        .where('e.disabled_at', 'is', null)
        .where((eb) => eb.or([eb('d.leased_until', 'is', null), eb('d.leased_until', '<=', now)]))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries as p')
                .select('p.id')
                .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
                .whereRef('p.order_key', '=', 'd.order_key')
                .where('p.state', '=', PENDING)
                .whereRef('p.id', '<', 'd.id'),
            ),
          ),
        )
        .orderBy('d.id')
        .limit(limit);
      if (this.dialect === 'postgres') query = query.forUpdate(['d']).skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      // One statement for the batch; the lease guard is for SQLite, where no row lock keeps another claim out.
      const taken = await trx
        .updateTable('webhook_deliveries')
        .set({ leased_by: owner, leased_until: now + leaseMs })
        .where('id', 'in', rows.map((r) => r.id))
        .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<=', now)]))
        .returning('id')
        .execute();
      const ours = new Set(taken.map((t) => Number(t.id)));
      return rows
        .filter((row) => ours.has(Number(row.id)))
        .map((row) => ({
          id: Number(row.id),
          endpointId: row.endpoint_id,
          url: row.url,
          secrets: signingSecrets(row.secrets, now),
          messageId: row.message_id,
          payload: row.payload,
          attempts: row.attempts,
          failingSince: row.failing_since === null ? null : Number(row.failing_since),
        }));
    });
  }

  /**
   * Records the attempts of deliveries `owner` holds, and their effect on their endpoints, in one
   * transaction (on SQLite, ingest waits for every write transaction): the usual case, every
   * delivery answered alike, is one statement. Answers, per attempt, false when the lease was lost meanwhile.
   */
  async finishAttempts(owner: string, attempts: { delivery: ClaimedDelivery; outcome: AttemptOutcome }[], now: number): Promise<boolean[]> {
    if (attempts.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const recorded = new Set<number>();
      for (const group of groupAlike(attempts)) {
        const { outcome } = group[0]!;
        const updated = await trx
          .updateTable('webhook_deliveries')
          .set({
            state: outcome.state,
            attempts: sql<number>`attempts + 1`,
            next_attempt_at: outcome.nextAttemptAt ?? now,
            last_attempt_at: now,
            last_status: outcome.status,
            last_error: outcome.error,
            delivered_at: outcome.state === 'delivered' ? now : null,
            leased_by: null,
            leased_until: null,
          })
          .where('id', 'in', group.map((a) => a.delivery.id))
          .where('leased_by', '=', owner)
          .returning('id')
          .execute();
        for (const row of updated) recorded.add(Number(row.id));
      }
      await recordEndpointHealth(trx, attempts.filter((a) => recorded.has(a.delivery.id)), now);
      return attempts.map((a) => recorded.has(a.delivery.id));
    });
  }

  /** Hands a delivery back untried (the dispatcher is stopping). */
  async release(deliveryId: number, owner: string): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({ leased_by: null, leased_until: null }).where('id', '=', deliveryId).where('leased_by', '=', owner).execute();
  }
}

/** Attempts that write the same columns (delivered with the same status; a retry is its own group: its time differs). */
function groupAlike<T extends { outcome: AttemptOutcome }>(attempts: T[]): T[][] {
  const groups = new Map<string, T[]>();
  attempts.forEach((attempt, i) => {
    const { outcome } = attempt;
    const key = outcome.state === 'delivered' ? `delivered:${outcome.status}` : `other:${i}`;
    groups.set(key, [...(groups.get(key) ?? []), attempt]);
  });
  return [...groups.values()];
}

/**
 * Per endpoint of the batch, by its last attempt: a success ends its failing streak, a failure starts
 * one (kept from the first failure); a verdict to disable it is applied. Unchanged rows are not written.
 */
async function recordEndpointHealth(trx: Db, attempts: { delivery: ClaimedDelivery; outcome: AttemptOutcome }[], now: number): Promise<void> {
  const last = new Map<string, AttemptOutcome>();
  const disable = new Map<string, string>();
  for (const { delivery, outcome } of attempts) {
    last.set(delivery.endpointId, outcome);
    if (outcome.disableEndpoint && !disable.has(delivery.endpointId)) disable.set(delivery.endpointId, outcome.disableEndpoint);
  }
  for (const [endpointId, outcome] of last) {
    const endpoint = trx.updateTable('webhook_endpoints').where('id', '=', endpointId);
    if (outcome.state === 'delivered') await endpoint.set({ failing_since: null }).where('failing_since', 'is not', null).execute();
    else await endpoint.set({ failing_since: now }).where('failing_since', 'is', null).execute();
  }
  for (const [endpointId, reason] of disable) {
    await trx.updateTable('webhook_endpoints').set({ disabled_at: now, disabled_reason: reason }).where('id', '=', endpointId).where('disabled_at', 'is', null).execute();
  }
}
