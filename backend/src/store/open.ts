import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

/**
 * Opens the store a DATABASE_URL names: a file path, `file:path` or `sqlite:path` for SQLite;
 * `postgres://...` (optionally `?schema=name&pool_max=n`) for PostgreSQL.
 * Migrations run on open.
 */
export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) return PostgresStore.open(url);
  return SqliteStore.open(url.replace(/^(file|sqlite):(\/\/)?/i, ''));
}
