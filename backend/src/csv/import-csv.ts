import type { Readable } from 'node:stream';
import type { ImportError, ImportOptions, ImportResponse } from '../../../shared/index';
import { DomainError } from '../domain/errors';
import type { Actor, ImportRow, Store } from '../store/store';
import { looksNumeric } from './cells';
import { HeaderError, planColumns, type ImportColumn } from './columns';
import { csvRecords, CsvStructureError, type CsvRecord } from './csv-records';
import { readRow } from './read-row';

/** Rows per store transaction: large enough for multi-row statements, small enough to hold in memory. */
const BATCH_ROWS = 2_000;
/** Custom columns are numbers when every non-blank value of the first rows is one. */
const SAMPLE_ROWS = 1_000;

export interface ImportRun {
  store: Store;
  workspaceId: string;
  actor: Actor;
  options: ImportOptions;
  now: () => number;
  /** Each row that was not imported, as soon as it is known (the CLI writes them to the errors CSV). */
  onError?: (error: ImportError) => void;
  /** Rows read so far, after each batch. */
  onProgress?: (rows: number) => void;
}

export type ImportSummary = Omit<ImportResponse, 'errors'>;

/**
 * Imports a CSV stream of leads in batches of BATCH_ROWS, each batch one transaction. A bad row is
 * reported and skipped whole; a file that cannot be read further (unbalanced quotes, an
 * over-long row) stops there, with the rows before it imported. File-level problems (empty, no
 * rows, a header that does not fit the options) are a DomainError and nothing is written.
 */
export async function importCsv(input: Readable, run: ImportRun): Promise<ImportSummary> {
  const records = csvRecords(input);
  const summary: ImportSummary = { rows: 0, created: 0, updated: 0, failed: 0, dryRun: run.options.dryRun, columns: [], stopped: null, errorCount: 0 };
  const fail = (error: ImportError) => {
    summary.errorCount++;
    run.onError?.(error);
  };
  try {
    const columns = await readHeader(records, run.options);
    const { sample, failure } = await firstRecords(records, SAMPLE_ROWS);
    if (sample.length === 0 && !failure) throw new DomainError('invalid', 'no_rows', 'the file has a header but no rows');
    detectNumbers(columns, sample, run.options);
    summary.columns = columns.map((c) => ({ header: c.header, role: c.role === 'attribute' ? `${c.kind === 'auto' ? 'text' : c.kind} attribute` : c.role, attribute: c.attribute }));
    let batch: ImportRow[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await run.store.importLeads(run.workspaceId, batch, run.actor, run.now(), { dryRun: run.options.dryRun });
      summary.created += result.created;
      summary.updated += result.updated;
      for (const refusal of result.refused) {
        summary.failed++;
        fail({ line: refusal.line, column: columns.find((c) => c.role === refusal.field)?.header ?? '', reason: refusal.reason });
      }
      batch = [];
      run.onProgress?.(summary.rows);
    };
    const take = async (record: CsvRecord) => {
      summary.rows++;
      const row = readRow(columns, record.cells, record.line, run.options);
      if ('reason' in row) {
        summary.failed++;
        fail(row);
      } else batch.push(row);
      if (batch.length >= BATCH_ROWS) await flush();
    };
    try {
      for await (const record of sampleThenRest(sample, failure, records)) await take(record);
    } catch (error) {
      if (!(error instanceof CsvStructureError)) throw error;
      await flush();
      summary.stopped = { line: error.line, column: '', reason: error.message };
      fail(summary.stopped);
    }
    await flush();
    return summary;
  } finally {
    await records.return(undefined);
  }
}

async function readHeader(records: AsyncGenerator<CsvRecord>, options: ImportOptions): Promise<ImportColumn[]> {
  let first: IteratorResult<CsvRecord>;
  try {
    first = await records.next();
  } catch (error) {
    if (error instanceof CsvStructureError) throw new DomainError('invalid', 'invalid_header', `line ${error.line}: ${error.message}`);
    throw error;
  }
  if (first.done) throw new DomainError('invalid', 'empty_file', 'the file is empty: the first line must be a header naming the columns');
  try {
    return planColumns(first.value.cells, options);
  } catch (error) {
    if (error instanceof HeaderError) throw new DomainError('invalid', 'invalid_header', error.message);
    throw error;
  }
}

/** Up to `count` records, and the error that ended the file early, if one did (it is raised again once they are imported). */
async function firstRecords(records: AsyncGenerator<CsvRecord>, count: number): Promise<{ sample: CsvRecord[]; failure?: CsvStructureError }> {
  const sample: CsvRecord[] = [];
  try {
    while (sample.length < count) {
      const next = await records.next();
      if (next.done) break;
      sample.push(next.value);
    }
  } catch (error) {
    if (error instanceof CsvStructureError) return { sample, failure: error };
    throw error;
  }
  return { sample };
}

/** The sampled records, then the rest of the file. */
async function* sampleThenRest(sample: CsvRecord[], failure: CsvStructureError | undefined, rest: AsyncGenerator<CsvRecord>): AsyncGenerator<CsvRecord> {
  yield* sample;
  if (failure) throw failure;
  yield* rest;
}

/** Custom columns whose sampled non-blank values are all numbers are read as numbers. */
function detectNumbers(columns: ImportColumn[], sample: CsvRecord[], options: ImportOptions): void {
  for (const column of columns) {
    if (column.kind !== 'auto') continue;
    let seen = 0;
    let numeric = true;
    for (const { cells } of sample) {
      const text = cells[column.index]?.trim();
      if (text === undefined || options.missing.includes(text.toLowerCase())) continue;
      seen++;
      if (!looksNumeric(text)) {
        numeric = false;
        break;
      }
    }
    column.kind = numeric && seen > 0 ? 'number' : 'text';
  }
}
