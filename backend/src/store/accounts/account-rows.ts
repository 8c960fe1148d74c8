import type { AccountKey } from '../../domain/account-key';
import { accountKeyOf } from '../../domain/account-key';
import { newId } from '../../domain/ids';
import type { LeadRecord } from '../../domain/lead-record';
import type { Db } from '../sql/schema';

/**
 * The account of `key` in the workspace, created (named, with no attributes yet) when it is new.
 * `known` caches keys already looked up within one transaction (an import batch).
 */
export async function accountIdFor(trx: Db, workspaceId: string, key: AccountKey, now: number, known?: Map<string, string>): Promise<string> {
  const cached = known?.get(key.key);
  if (cached) return cached;
  const id = await lookUpOrCreate(trx, workspaceId, key, now);
  known?.set(key.key, id);
  return id;
}

async function lookUpOrCreate(trx: Db, workspaceId: string, key: AccountKey, now: number): Promise<string> {
  const existing = await accountIdOf(trx, workspaceId, key.key);
  if (existing) return existing;
  await trx
    .insertInto('accounts')
    .values({
      id: newId('ac'),
      workspace_id: workspaceId,
      key: key.key,
      domain: key.domain,
      name: key.name,
      attributes: '{}',
      score: 0,
      fit: 0,
      engagement: 0,
      tier: '',
      people: 0,
      people_engaged: 0,
      breakdown: '[]',
      scored_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
    .execute();
  return (await accountIdOf(trx, workspaceId, key.key))!;
}

async function accountIdOf(trx: Db, workspaceId: string, key: string): Promise<string | undefined> {
  const row = await trx.selectFrom('accounts').select('id').where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
  return row?.id;
}

/**
 * `after` with the account its email and attributes put it in now: the same account while its
 * key is unchanged (no lookup), else the key's account (created if new), or none.
 */
export async function withAccount(trx: Db, before: LeadRecord | null, after: LeadRecord, now: number, known?: Map<string, string>): Promise<LeadRecord> {
  const inAccount = (accountId: string | null) => (after.accountId === accountId ? after : { ...after, accountId });
  // The key reads only the email and attributes: a save that changes neither (most of ingest) keeps the account.
  if (before?.accountId && before.email === after.email && before.attributes === after.attributes) return inAccount(before.accountId);
  const key = accountKeyOf(after.email, after.attributes);
  if (!key) return inAccount(null);
  if (before?.accountId && accountKeyOf(before.email, before.attributes)?.key === key.key) return inAccount(before.accountId);
  return inAccount(await accountIdFor(trx, after.workspaceId, key, now, known));
}
