/**
 * Import benchmark (`npm run bench -- import`): 100k generated rows imported into a fresh
 * SQLite database (then again: every row an update), against csv-parse alone reading the same
 * file with the same options in the same run (budget: import >= 30% of the parser's rows/s).
 * On PostgreSQL too when it answers. Peak RSS shows that memory does not grow with the file.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { ImportOptions } from '../shared/index';
import { importCsv } from '../backend/src/csv/import-csv';
import { MAX_ROW_BYTES } from '../backend/src/csv/csv-records';
import { openStore } from '../backend/src/store/open';
import type { Store } from '../backend/src/store/store';
import { testSchema } from '../test/backend/support/postgres-schema';
import { postgresProblem } from '../test/support/env';
import { IMPORT_FLAGS, IMPORT_ROWS, writeImportFile } from './import/csv-file';

const BUDGET = 0.3;

interface Timed {
  ms: number;
  rows: number;
}

const rate = (t: Timed) => Math.round(t.rows / (t.ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

/** csv-parse alone: the same stream and options the import reads with, records counted and dropped. */
async function parserAlone(file: string): Promise<Timed> {
  const started = performance.now();
  let rows = -1;
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_ROW_BYTES, skip_records_with_error: true }));
  for await (const _ of parser) rows++;
  return { ms: performance.now() - started, rows };
}

async function importInto(store: Store, workspaceId: string, file: string): Promise<Timed & { created: number; updated: number; failed: number }> {
  const started = performance.now();
  const summary = await importCsv(createReadStream(file), { store, workspaceId, actor: { name: 'bench' }, options: ImportOptions.parse(IMPORT_FLAGS), now: Date.now });
  return { ms: performance.now() - started, rows: summary.rows, created: summary.created, updated: summary.updated, failed: summary.failed };
}

async function onDatabase(url: string, file: string) {
  const store = await openStore(url);
  try {
    const workspace = await store.createWorkspace('Bench', Date.now());
    const fresh = await importInto(store, workspace.id, file);
    const again = await importInto(store, workspace.id, file);
    return { fresh, again };
  } finally {
    await store.close();
  }
}

export default async function run(): Promise<string> {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-import-bench-'));
  try {
    const file = join(dir, 'leads.csv');
    const load = os.loadavg()[0]!.toFixed(2);
    await writeImportFile(file);
    const mib = (statSync(file).size / 2 ** 20).toFixed(1);
    await parserAlone(file); // warm-up: the file in the page cache, the parser compiled
    const parser = await parserAlone(file);
    const rssBefore = process.resourceUsage().maxRSS;
    const sqlite = await onDatabase(join(dir, 'bench.db'), file);
    const rssAfter = process.resourceUsage().maxRSS;
    const pgProblem = await postgresProblem();
    let postgres: Awaited<ReturnType<typeof onDatabase>> | undefined;
    if (!pgProblem) {
      const schema = testSchema();
      try {
        postgres = await onDatabase(schema.url, file);
      } finally {
        await schema.drop();
      }
    }
    const ratio = (t: Timed) => `${((rate(t) / rate(parser)) * 100).toFixed(0)}%`;
    const line = (what: string, t: Timed) => `| ${what} | ${fmt(t.rows)} | ${(t.ms / 1000).toFixed(2)} s | ${fmt(rate(t))} | ${ratio(t)} |`;
    const verdict = rate(sqlite.fresh) / rate(parser) >= BUDGET ? 'within' : 'over';
    return [
      `## CSV import (${fmt(IMPORT_ROWS)} rows, ${mib} MiB, 13 columns)`,
      '',
      `Budget: import >= ${BUDGET * 100}% of csv-parse alone reading the same file (same options, same run). SQLite: **${ratio(sqlite.fresh)}** (${verdict} budget).`,
      '',
      '| what | rows | time | rows/s | of the parser alone |',
      '| --- | ---: | ---: | ---: | ---: |',
      line('csv-parse alone (the baseline)', parser),
      line('import into SQLite, every row a new lead', sqlite.fresh),
      line('import again into SQLite, every row an update', sqlite.again),
      ...(postgres ? [line('import into PostgreSQL, every row a new lead', postgres.fresh), line('import again into PostgreSQL, every row an update', postgres.again)] : [`| PostgreSQL | skipped: ${pgProblem} | | | |`]),
      '',
      `Load average when the run started: ${load} on ${os.cpus().length} cores (other work shares them: treat rates as lower bounds).`,
      '',
      `Peak RSS of the process: ${(rssBefore / 1024).toFixed(0)} MiB before the SQLite imports, ${(rssAfter / 1024).toFixed(0)} MiB after (the file is read as a stream, 2,000 rows per transaction).`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
