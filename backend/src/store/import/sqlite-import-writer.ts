import type Database from 'better-sqlite3';
import { LEAD_ROW_COLUMNS } from '../sql/rows';
import { UPSERTED_LEAD_COLUMNS, type ImportWriter } from './import-writer';

/**
 * An import batch's writes as prepared statements on the store's connection. They run inside the
 * batch's Kysely transaction, which holds that one connection, so nothing interleaves. Every text
 * was checked storable when the row was read (csv/read-row.ts), as the Kysely plugin would.
 */
export function sqliteImportWriter(sqlite: Database.Database): ImportWriter {
  const upsert = sqlite.prepare(
    `insert into leads (${LEAD_ROW_COLUMNS.join(', ')}) values (${LEAD_ROW_COLUMNS.map(() => '?').join(', ')})
      on conflict (id) do update set ${UPSERTED_LEAD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
  );
  const identity = sqlite.prepare('insert into identities (workspace_id, kind, value, lead_id) values (?, ?, ?, ?)');
  const stageChange = sqlite.prepare('insert into stage_changes (lead_id, from_stage, to_stage, reason, at) values (?, ?, ?, ?, ?)');
  const history = sqlite.prepare('insert into attribute_history (lead_id, key, value, set_by, at) values (?, ?, ?, ?, ?)');
  return {
    async upsertLeads(rows) {
      for (const row of rows) upsert.run(LEAD_ROW_COLUMNS.map((c) => row[c] ?? null));
    },
    async insertIdentities(rows) {
      for (const row of rows) identity.run(row.workspace_id, row.kind, row.value, row.lead_id);
    },
    async insertStageChanges(rows) {
      for (const row of rows) stageChange.run(row.lead_id, row.from_stage ?? null, row.to_stage, row.reason, row.at);
    },
    async insertAttributeHistory(rows) {
      for (const row of rows) history.run(row.lead_id, row.key, row.value ?? null, row.set_by, row.at);
    },
  };
}
