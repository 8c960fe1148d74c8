import { randomBytes } from 'node:crypto';
import { DEFAULT_MODEL } from '../../../../shared/index';
import { newId } from '../../domain/ids';
import { hashToken, newTokenSecret, type Role } from '../../domain/tokens';
import { siteFromRow, TOKEN_COLUMNS, tokenFromRow, workspaceFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { Site, TokenInfo, Workspace } from '../store';
import * as sessions from './sessions';

/**
 * Workspaces, their sites and tokens, and instance settings: the rows every other part of the
 * store hangs off. KyselyStore extends it, so these are Store methods without forwarders.
 */
export class KyselyTenancy {
  constructor(protected readonly db: Db) {}

  /** A workspace starts with the default scoring model as its first version. */
  async createWorkspace(name: string, now: number): Promise<Workspace> {
    const row = { id: newId('ws', 12), name, link_secret: randomBytes(32).toString('base64url'), created_at: now };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values(row).execute();
      await trx
        .insertInto('models')
        .values({ workspace_id: row.id, version: DEFAULT_MODEL.version, body: JSON.stringify(DEFAULT_MODEL), created_by: 'system', created_at: now })
        .execute();
    });
    return workspaceFromRow(row);
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute()).map(workspaceFromRow);
  }

  async getWorkspace(id: string): Promise<Workspace | undefined> {
    const row = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && workspaceFromRow(row);
  }

  async linkSecret(workspaceId: string): Promise<string> {
    const row = await this.db.selectFrom('workspaces').select('link_secret').where('id', '=', workspaceId).executeTakeFirstOrThrow();
    return row.link_secret;
  }

  async createSite(workspaceId: string, origins: string[], now: number): Promise<Site> {
    const row = { id: newId('site', 12), workspace_id: workspaceId, key: newId('pk', 20), origins: JSON.stringify(origins), created_at: now };
    await this.db.insertInto('sites').values(row).execute();
    return siteFromRow(row);
  }

  async listSites(workspaceId?: string): Promise<Site[]> {
    let query = this.db.selectFrom('sites').selectAll();
    if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
    return (await query.orderBy('created_at').orderBy('id').execute()).map(siteFromRow);
  }

  async findSiteByKey(key: string): Promise<Site | undefined> {
    return siteByKey(this.db, key);
  }

  async addSiteOrigins(key: string, origins: string[]): Promise<Site | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const site = await siteByKey(trx, key);
      if (!site) return undefined;
      const updated = { ...site, origins: [...new Set([...site.origins, ...origins])] };
      await trx.updateTable('sites').set({ origins: JSON.stringify(updated.origins) }).where('id', '=', site.id).execute();
      return updated;
    });
  }

  async createToken(workspaceId: string, role: Role, label: string | null, now: number) {
    const secret = newTokenSecret(role);
    const row = { id: newId('tok', 12), workspace_id: workspaceId, role, label, hash: hashToken(secret), created_at: now, revoked_at: null };
    await this.db.insertInto('tokens').values(row).execute();
    return { token: tokenFromRow(row), secret };
  }

  async listTokens(workspaceId?: string): Promise<TokenInfo[]> {
    let query = this.db.selectFrom('tokens').selectAll();
    if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
    return (await query.orderBy('created_at').orderBy('id').execute()).map(tokenFromRow);
  }

  async revokeToken(id: string, now: number): Promise<boolean> {
    const existing = await this.db.selectFrom('tokens').select('revoked_at').where('id', '=', id).executeTakeFirst();
    if (!existing) return false;
    if (existing.revoked_at === null) await this.db.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id).execute();
    return true;
  }

  createSession(tokenId: string, now: number, limits: sessions.SessionLimits): Promise<string> {
    return sessions.createSession(this.db, tokenId, now, limits);
  }

  findSession(secret: string, now: number, limits: sessions.SessionLimits): Promise<TokenInfo | undefined> {
    return sessions.findSession(this.db, secret, now, limits);
  }

  deleteSession(secret: string): Promise<void> {
    return sessions.deleteSession(this.db, secret);
  }

  async findToken(secret: string): Promise<TokenInfo | undefined> {
    const row = await this.db.selectFrom('tokens').select(TOKEN_COLUMNS).where('hash', '=', hashToken(secret)).executeTakeFirst();
    return row && tokenFromRow(row);
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}

async function siteByKey(db: Db, key: string): Promise<Site | undefined> {
  const row = await db.selectFrom('sites').selectAll().where('key', '=', key).executeTakeFirst();
  return row && siteFromRow(row);
}
