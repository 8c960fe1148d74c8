import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { describeStoreContract } from '../support/store-contract';
import { dumpSqlite, tempDir } from '../support/app';

describeStoreContract('sqlite', async () => {
  const tmp = tempDir();
  const file = join(tmp.dir, 'store.db');
  const store = await SqliteStore.open(file);
  return {
    store,
    dump: async () => dumpSqlite(file),
    close: async () => {
      await store.close();
      tmp.remove();
    },
  };
});

describe('SqliteStore', () => {
  it('keeps its data across reopening, in WAL mode', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'nested', 'dir', 'reopen.db');
    const first = await SqliteStore.open(file);
    const ws = await first.createWorkspace('Acme', 1);
    await first.close();
    const second = await SqliteStore.open(file);
    expect(await second.getWorkspace(ws.id)).toEqual(ws);
    await second.close();
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    tmp.remove();
  });
});
