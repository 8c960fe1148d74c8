import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { stringify, type Stringifier } from 'csv-stringify';
import { ImportOptions, type ImportError } from '../../../shared/index';
import { importCsv, type ImportSummary } from '../csv/import-csv';
import type { Store } from '../store/store';
import { progressBar } from './progress-bar';

export const IMPORT_USAGE = `import <file.csv> --id-column <name> and/or --email-column <name>
      [--outcome-column <name> [--won v1,v2] [--lost v1,v2] [--outcome-date-column <name>]]
      [--created-column <name>] [--name-column <name>] [--missing v1,v2] [--errors <file>] [--dry-run]
      (every other column is an attribute; rows that fail go to <file>.errors.csv; exit status 1 if any did)`;

/** The CLI's flags (kebab-case) as ImportOptions; invalid ones throw with the reason. */
export function importOptionsOf(values: Record<string, unknown>): ImportOptions {
  const parsed = ImportOptions.safeParse({
    idColumn: values['id-column'],
    emailColumn: values['email-column'],
    nameColumn: values['name-column'],
    outcomeColumn: values['outcome-column'],
    outcomeDateColumn: values['outcome-date-column'],
    createdColumn: values['created-column'],
    won: values.won,
    lost: values.lost,
    missing: values.missing,
    dryRun: values['dry-run'] === true,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** Row errors, streamed to a CSV file opened at the first one. */
class ErrorsFile {
  #out: Stringifier | undefined;
  #file: WriteStream | undefined;
  constructor(readonly path: string) {}
  write(error: ImportError): void {
    if (!this.#out) {
      this.#file = createWriteStream(this.path);
      this.#out = stringify({ header: true, columns: ['line', 'column', 'reason'] });
      this.#out.pipe(this.#file);
    }
    this.#out.write([error.line, error.column, error.reason]);
  }
  #written = false;
  /** True when the file was written; closing twice is fine. */
  async close(): Promise<boolean> {
    const out = this.#out;
    if (!out) return this.#written;
    this.#out = undefined;
    this.#written = true;
    const done = new Promise<void>((resolve, reject) => this.#file!.once('finish', resolve).once('error', reject));
    out.end();
    await done;
    return true;
  }
}

/** "12,345 rows, 8,100 rows/s": what the bar shows beside the bytes read. */
function rate(rows: number, startedAt: number): string {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  return `${rows.toLocaleString('en-US')} rows, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;
}

function describe(summary: ImportSummary, file: string, errorsPath: string | null): string {
  const verb = summary.dryRun ? 'would create' : 'created';
  const lines = [`${file}: ${summary.rows} rows; ${verb} ${summary.created}, ${summary.dryRun ? 'would update' : 'updated'} ${summary.updated}, ${summary.failed} failed${summary.dryRun ? ' (dry run: nothing written)' : ''}`];
  if (summary.stopped) lines.push(`stopped at line ${summary.stopped.line}: ${summary.stopped.reason}`);
  if (errorsPath) lines.push(`errors (line, column, reason): ${errorsPath}`);
  return lines.join('\n');
}

/** `import`: the file streamed into the workspace, a progress bar with rows/s on a terminal. */
export async function importCommand(store: Store, workspaceId: string, file: string, values: Record<string, unknown>, options: { bar: boolean }) {
  const importOptions = importOptionsOf(values);
  const size = statSync(file).size;
  const input = createReadStream(file);
  let bytes = 0;
  input.on('data', (chunk) => (bytes += chunk.length));
  const errors = new ErrorsFile(typeof values.errors === 'string' ? values.errors : `${file}.errors.csv`);
  const bar = options.bar ? progressBar() : undefined;
  const startedAt = Date.now();
  try {
    const summary = await importCsv(input, {
      store,
      workspaceId,
      actor: { name: 'import (cli)' },
      options: importOptions,
      now: Date.now,
      onError: (error) => errors.write(error),
      onProgress: (rows) => bar?.(`importing: ${rate(rows, startedAt)}`, bytes, size),
    });
    bar?.(`imported: ${rate(summary.rows, startedAt)}`, size, size);
    const errorsPath = (await errors.close()) ? errors.path : null;
    return { data: { ...summary, errorsFile: errorsPath }, text: describe(summary, file, errorsPath), exitCode: summary.errorCount > 0 ? 1 : 0 };
  } finally {
    await errors.close();
    input.destroy();
  }
}
