import { copySqliteToPostgres } from '../store/postgres/copy-from-sqlite';
import { redactUrl } from '../store/postgres/postgres-pool';
import { progressBar } from './progress-bar';

export const MIGRATE_TO_POSTGRES_USAGE = 'migrate-to-postgres --from <sqlite file> --to <postgres:// URL>   (copies into an empty database, then compares row counts)';

/**
 * `npm run leadscore -- migrate-to-postgres`: copies the SQLite database into PostgreSQL with a
 * progress bar on stderr, then compares every table's row count on both sides. Exit code 0 when
 * they all match, 1 when any differs or the copy failed, 2 on bad usage.
 */
export async function migrateToPostgresCommand(options: { from?: string | undefined; to?: string | undefined }): Promise<number> {
  const { from, to } = options;
  if (!from || !to || !/^postgres(ql)?:\/\//i.test(to)) {
    process.stderr.write(`Usage: npm run leadscore -- ${MIGRATE_TO_POSTGRES_USAGE}\n`);
    return 2;
  }
  process.stderr.write(`copying ${from} into ${redactUrl(to)}\n`);
  const bar = progressBar();
  try {
    const counts = await copySqliteToPostgres(from, to, (p) => bar(p.table, p.copied, p.total));
    const differing = counts.filter((c) => c.sqlite !== c.postgres);
    const width = Math.max(...counts.map((c) => c.table.length));
    for (const c of counts) {
      process.stdout.write(`${c.table.padEnd(width)}  sqlite ${c.sqlite}  postgres ${c.postgres}  ${c.sqlite === c.postgres ? 'ok' : 'DIFFERENT'}\n`);
    }
    if (differing.length > 0) {
      process.stderr.write(`row counts differ in ${differing.map((c) => c.table).join(', ')}: was a backend still writing to ${from}? Stop it and copy into a fresh database again.\n`);
      return 1;
    }
    process.stderr.write('done: every table has the same number of rows on both sides\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\nmigrate-to-postgres failed: ${(error as Error).message}\n`);
    return 1;
  }
}
