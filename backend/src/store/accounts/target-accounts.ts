import type { AccountAttributes, CompiledModel } from '../../../../shared/index';
import { accountIdFor } from './account-rows';
import { rollUpAccounts } from './roll-up';
import type { Db } from '../sql/schema';

/** One row of a target-account list: the company's registrable domain, its name, and attributes for account fit rules. */
export interface TargetAccountRow {
  domain: string;
  name: string | null;
  attributes: AccountAttributes;
}

/**
 * Marks each listed company a target account (creating it when none of its people has been seen
 * yet), with the list's name and attributes over what its people gave, then rolls them up.
 */
export async function importTargetAccounts(trx: Db, compiled: CompiledModel, workspaceId: string, rows: readonly TargetAccountRow[], now: number): Promise<{ created: number; updated: number }> {
  const ids: string[] = [];
  let created = 0;
  for (const row of rows) {
    const key = `domain:${row.domain}`;
    const existing = await trx.selectFrom('accounts').select(['id', 'name', 'attributes']).where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
    const id = existing?.id ?? (await accountIdFor(trx, workspaceId, { key, domain: row.domain, name: row.name }, now));
    if (!existing) created++;
    const attributes = { ...(existing ? (JSON.parse(existing.attributes) as AccountAttributes) : {}), ...row.attributes, targetAccount: true };
    await trx.updateTable('accounts').set({ name: row.name ?? existing?.name ?? null, attributes: JSON.stringify(attributes) }).where('id', '=', id).execute();
    ids.push(id);
  }
  await rollUpAccounts(trx, compiled, workspaceId, ids, now);
  return { created, updated: rows.length - created };
}
