import { randomBytes } from 'node:crypto';
import { DEFAULT_MODEL } from '../../../../shared/index';
import { newId } from '../../domain/ids';
import { hashToken, newTokenSecret, type Role } from '../../domain/tokens';
import { siteFromRow, tokenFromRow, workspaceFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { Site, TokenInfo, Workspace } from '../store';

/** A workspace starts with the default scoring model as its first version. */
export async function createWorkspace(db: Db, name: string, now: number): Promise<Workspace> {
  const row = { id: newId('ws', 12), name, link_secret: randomBytes(32).toString('base64url'), created_at: now };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values(row).execute();
    await trx
      .insertInto('models')
      .values({ workspace_id: row.id, version: DEFAULT_MODEL.version, body: JSON.stringify(DEFAULT_MODEL), created_by: 'system', created_at: now })
      .execute();
  });
  return workspaceFromRow(row);
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return (await db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute()).map(workspaceFromRow);
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row && workspaceFromRow(row);
}

export async function linkSecret(db: Db, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('link_secret').where('id', '=', workspaceId).executeTakeFirstOrThrow();
  return row.link_secret;
}

export async function createSite(db: Db, workspaceId: string, origins: string[], now: number): Promise<Site> {
  const row = { id: newId('site', 12), workspace_id: workspaceId, key: newId('pk', 20), origins: JSON.stringify(origins), created_at: now };
  await db.insertInto('sites').values(row).execute();
  return siteFromRow(row);
}

export async function listSites(db: Db, workspaceId?: string): Promise<Site[]> {
  let query = db.selectFrom('sites').selectAll();
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(siteFromRow);
}

export async function findSiteByKey(db: Db, key: string): Promise<Site | undefined> {
  const row = await db.selectFrom('sites').selectAll().where('key', '=', key).executeTakeFirst();
  return row && siteFromRow(row);
}

export async function addSiteOrigins(db: Db, key: string, origins: string[]): Promise<Site | undefined> {
  return db.transaction().execute(async (trx) => {
    const site = await findSiteByKey(trx, key);
    if (!site) return undefined;
    const updated = { ...site, origins: [...new Set([...site.origins, ...origins])] };
    await trx.updateTable('sites').set({ origins: JSON.stringify(updated.origins) }).where('id', '=', site.id).execute();
    return updated;
  });
}

export async function createToken(db: Db, workspaceId: string, role: Role, label: string | null, now: number) {
  const secret = newTokenSecret(role);
  const row = { id: newId('tok', 12), workspace_id: workspaceId, role, label, hash: hashToken(secret), created_at: now, revoked_at: null };
  await db.insertInto('tokens').values(row).execute();
  return { token: tokenFromRow(row), secret };
}

export async function listTokens(db: Db, workspaceId?: string): Promise<TokenInfo[]> {
  let query = db.selectFrom('tokens').selectAll();
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(tokenFromRow);
}

export async function revokeToken(db: Db, id: string, now: number): Promise<boolean> {
  const existing = await db.selectFrom('tokens').select('revoked_at').where('id', '=', id).executeTakeFirst();
  if (!existing) return false;
  if (existing.revoked_at === null) await db.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id).execute();
  return true;
}

export async function findToken(db: Db, secret: string): Promise<TokenInfo | undefined> {
  const row = await db.selectFrom('tokens').selectAll().where('hash', '=', hashToken(secret)).executeTakeFirst();
  return row && tokenFromRow(row);
}

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
