import type { AccountRecord } from '../../domain/account-record';
import type { LeadRecord } from '../../domain/lead-record';
import type { LeadAccount } from '../../../../shared/index';
import { ACCOUNT_LINE_COLUMNS, accountFromRow, leadAccountFromRow, leadFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';

/** The account lines (LeadAccount) of these accounts, by id, reading only the columns a line shows. */
export async function accountLines(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, LeadAccount>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('accounts').select(ACCOUNT_LINE_COLUMNS).where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, leadAccountFromRow(row)]));
}

export async function accountById(db: Db, workspaceId: string, id: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && accountFromRow(row);
}

export async function accountByKey(db: Db, workspaceId: string, key: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
  return row && accountFromRow(row);
}

/** The best accounts, score first (ties by id), optionally of one tier. */
export async function topAccounts(db: Db, workspaceId: string, query: { tier?: string; limit: number }): Promise<AccountRecord[]> {
  let select = db.selectFrom('accounts').selectAll().where('workspace_id', '=', workspaceId);
  if (query.tier !== undefined) select = select.where('tier', '=', query.tier);
  const rows = await select.orderBy('score', 'desc').orderBy('id').limit(query.limit).execute();
  return rows.map(accountFromRow);
}

/** An account's people, best score first, at most `limit`. */
export async function accountMembers(db: Db, workspaceId: string, accountId: string, limit: number): Promise<LeadRecord[]> {
  const rows = await db.selectFrom('leads').selectAll().where('account_id', '=', accountId).where('workspace_id', '=', workspaceId).orderBy('score', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(leadFromRow);
}
