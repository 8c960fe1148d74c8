/**
 * The roll-up pass a full rescore ends with (rollUpAllAccounts), run alone in this process on a
 * database the server also has open: the same function, the same per-dialect transactions and
 * model, so its time is the rescore's account share without the rest of the job around it.
 */
import { rollUpAllAccounts } from '../../backend/src/store/accounts/roll-up';
import { ModelCache } from '../../backend/src/store/leads/score-lead';
import { openStore } from '../../backend/src/store/open';
import { postgresDialect, sqliteDialect } from '../../backend/src/store/sql/dialect';
import type { Db } from '../../backend/src/store/sql/schema';

export interface RollUpPass {
  accounts: number;
  ms: number;
}

export async function rollUpPass(databaseUrl: string, workspaceId: string): Promise<RollUpPass> {
  const store = await openStore(databaseUrl);
  try {
    // The store keeps its Kysely instance to itself; the pass needs it, as the rescore job has it.
    const db = (store as unknown as { db: Db }).db;
    const dialect = store.dialect === 'postgres' ? postgresDialect : sqliteDialect;
    const { compiled } = await new ModelCache().current(db, workspaceId);
    const started = performance.now();
    const accounts = await rollUpAllAccounts(db, (work) => dialect.transaction(db, workspaceId, work), compiled, workspaceId, Date.now(), { webhookEvents: false });
    return { accounts, ms: performance.now() - started };
  } finally {
    await store.close();
  }
}
