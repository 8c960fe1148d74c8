import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Hono } from 'hono';
import type { TrackedEvent } from '../../../shared/index';
import { createApp } from '../../../backend/src/app';
import type { AppConfig } from '../../../backend/src/config';
import type { KyselyStore } from '../../../backend/src/store/kysely-store';
import { PostgresStore } from '../../../backend/src/store/postgres/postgres-store';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import type { Site, Workspace } from '../../../backend/src/store/store';
import { testSchema } from './postgres-schema';

export const NOW = Date.parse('2025-06-02T12:00:00.000Z');
export const ORIGIN = 'https://www.acme.test';

/** A temporary directory removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-backend-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every row of every table of a SQLite file, read through a separate connection. */
export function dumpSqlite(file: string): Record<string, unknown[]> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`select * from "${name}"`).all()]));
  } finally {
    db.close();
  }
}

function insertSqlite(file: string, table: string, rows: object[]): void {
  if (rows.length === 0) return;
  const db = new BetterSqlite3(file);
  try {
    const columns = Object.keys(rows[0]!);
    const statement = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
    db.transaction(() => rows.forEach((row) => statement.run(row)))();
  } finally {
    db.close();
  }
}

let counter = 0;
/** One tracked event with sensible defaults; `at` is milliseconds before NOW. */
export function event(overrides: Partial<TrackedEvent> & { ago?: number } = {}): TrackedEvent {
  const { ago = 60_000, ...rest } = overrides;
  return {
    type: 'page',
    messageId: `m-${++counter}-${randomUUID()}`,
    timestamp: new Date(NOW - ago).toISOString(),
    anonymousId: 'visitor-1',
    context: { page: { path: '/' } },
    ...rest,
  } as TrackedEvent;
}

/** The app over a store with two workspaces, each with a site and tokens; on either database. */
export interface AppFixture {
  store: KyselyStore;
  app: Hono;
  workspace: Workspace;
  site: Site;
  repToken: string;
  adminToken: string;
  /** A second workspace with its own site, rep token and one lead (for isolation tests). */
  other: { workspace: Workspace; site: Site; repToken: string; adminToken: string };
  /** Every row of every table, read over a separate connection. */
  dump(): Promise<Record<string, unknown[]>>;
  /** Writes rows straight into a table over a separate connection, as a bulk import would. */
  insertRows(table: 'leads' | 'identities' | 'events' | 'attribute_history' | 'accounts', rows: object[]): Promise<void>;
  close: () => Promise<void>;
}

export interface Fixture extends AppFixture {
  store: SqliteStore;
  file: string;
}

async function seeded<S extends KyselyStore>(store: S, config: Partial<AppConfig>) {
  const workspace = await store.createWorkspace('Acme', NOW);
  const site = await store.createSite(workspace.id, [ORIGIN], NOW);
  const repToken = (await store.createToken(workspace.id, 'rep', 'Rita', NOW)).secret;
  const adminToken = (await store.createToken(workspace.id, 'admin', 'Ops', NOW)).secret;
  const otherWorkspace = await store.createWorkspace('Globex', NOW);
  const other = {
    workspace: otherWorkspace,
    site: await store.createSite(otherWorkspace.id, ['https://globex.test'], NOW),
    repToken: (await store.createToken(otherWorkspace.id, 'rep', null, NOW)).secret,
    adminToken: (await store.createToken(otherWorkspace.id, 'admin', null, NOW)).secret,
  };
  const app = createApp({ store, config: { now: () => NOW, ...config } });
  return { store, app, workspace, site, repToken, adminToken, other };
}

/** A real SQLite file in a temp dir, two workspaces with a site and tokens each, and the app over it. */
export async function fixture(config: Partial<AppConfig> = {}): Promise<Fixture> {
  const tmp = tempDir();
  const file = join(tmp.dir, 'test.db');
  const store = await SqliteStore.open(file);
  return {
    ...(await seeded(store, config)),
    file,
    dump: async () => dumpSqlite(file),
    insertRows: async (table, rows) => insertSqlite(file, table, rows),
    close: async () => {
      await store.close();
      tmp.remove();
    },
  };
}

/** The same on PostgreSQL, in a schema of its own (see postgres-schema.ts). */
export async function postgresFixture(config: Partial<AppConfig> = {}): Promise<AppFixture> {
  const schema = testSchema();
  const store = await PostgresStore.open(schema.url);
  return {
    ...(await seeded(store, config)),
    dump: () => schema.dump(),
    insertRows: async (table, rows) => {
      if (rows.length === 0) return;
      // Only the rows' columns, so a serial id the rows leave out is numbered by the database.
      const columns = Object.keys(rows[0]!).join(', ');
      await schema.query(`insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(rows)]);
    },
    close: async () => {
      await store.close();
      await schema.drop();
    },
  };
}

export type StoreKind = 'sqlite' | 'postgres';
export const openFixture = (kind: StoreKind, config: Partial<AppConfig> = {}): Promise<AppFixture> => (kind === 'sqlite' ? fixture(config) : postgresFixture(config));

export function bearer(token: string, headers: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...headers };
}

/** POST /collect the way the tracker does: text/plain JSON from an allowed page. */
export function collect(app: Hono, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request('/collect', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export function jsonRequest(app: Hono, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method,
      headers: bearer(token, { 'Content-Type': 'application/json', ...headers }),
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
  );
}

/** Asserts the ApiError shape and returns it. */
export async function apiError(response: Response, status: number, code: string): Promise<{ error: string; message: string; issues?: { path: (string | number)[]; message: string }[] }> {
  const body = (await response.json()) as { error: string; message: string; issues?: { path: (string | number)[]; message: string }[] };
  expect({ status: response.status, error: body.error }).toEqual({ status, error: code });
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  return body;
}

export function rowCounts(file: string): Record<string, number> {
  return Object.fromEntries(Object.entries(dumpSqlite(file)).map(([table, rows]) => [table, rows.length]));
}
