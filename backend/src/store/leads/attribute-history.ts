import type { AttributeValue } from '../../domain/lead-record';
import type { Insertable } from 'kysely';
import type { Database, Db } from '../sql/schema';

export type AttributeHistoryRow = Insertable<Database['attribute_history']>;

/**
 * Appends a history row for each attribute that changed between `before` and `after`: a new or
 * changed value is dated by its setAt, a removal by `now`. Unchanged attributes write nothing.
 */
export async function recordAttributeChanges(
  trx: Db,
  leadId: string,
  before: Record<string, AttributeValue>,
  after: Record<string, AttributeValue>,
  now: number,
): Promise<void> {
  const rows = attributeChanges(leadId, before, after, now);
  if (rows.length) await trx.insertInto('attribute_history').values(rows).execute();
}

/** The history rows recordAttributeChanges writes, for a caller that writes many leads at once (a CSV import). */
export function attributeChanges(leadId: string, before: Record<string, AttributeValue>, after: Record<string, AttributeValue>, now: number): AttributeHistoryRow[] {
  const rows: AttributeHistoryRow[] = [];
  for (const key in after) {
    const was = before[key];
    const is = after[key]!;
    if (was && was.setAt === is.setAt && was.value === is.value && was.setBy === is.setBy) continue;
    rows.push({ lead_id: leadId, key, value: JSON.stringify(is.value), set_by: is.setBy, at: is.setAt });
  }
  for (const key in before) {
    if (!(key in after)) rows.push({ lead_id: leadId, key, value: null, set_by: before[key]!.setBy, at: now });
  }
  return rows;
}
