import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

/** The longest row read: a longer one stops the import (constant memory, whatever the file holds). */
export const MAX_ROW_BYTES = 1 << 20;

export interface CsvRecord {
  /** The file line the record starts on (1-based). */
  line: number;
  cells: string[];
}

/** The file cannot be read past `line`: what comes after is not imported. */
export class CsvStructureError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** What csv-parse's codes mean for someone fixing the file. */
function explain(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (unbalanced quotes): the file was read up to this line and no further';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote inside a quoted field must be doubled ("") and a closing quote followed by a comma or a line end: the file was read up to this line and no further';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_ROW_BYTES} bytes: the file was read up to this line and no further`;
    default:
      return `${error.message}: the file was read up to this line and no further`;
  }
}

type Parsed = { record: string[]; info: { lines: number } } | { skipped: CsvError };

/**
 * The records of a CSV stream, one at a time (the parser holds one record, so memory stays flat
 * for any file size). A UTF-8 byte order mark and CRLF line ends are fine; blank lines are
 * skipped; rows with a different number of fields are passed on for the caller to refuse. A
 * structural error ends the records with a CsvStructureError at the row it starts on.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_ROW_BYTES, skip_records_with_error: true });
  // A thrown parse error would drop the records parsed before it in the same chunk; a skipped
  // record is reported in order instead, as a marker among the records (the 'skip' event fires
  // while the parser pushes, so the marker lands right after the records before it).
  parser.on('skip', (error: CsvError) => parser.push({ skipped: error }));
  input.once('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let lastLine = 0;
  try {
    for await (const parsed of parser as AsyncIterable<Parsed>) {
      if ('skipped' in parsed) {
        const at = Number((parsed.skipped as CsvError & { lines?: number }).lines ?? lastLine + 1);
        throw new CsvStructureError(Math.min(at, lastLine + 1), explain(parsed.skipped));
      }
      // info.lines is where the record ends; a record spanning lines starts earlier.
      yield { line: parsed.info.lines - countNewlines(parsed.record), cells: parsed.record };
      lastLine = parsed.info.lines;
    }
  } finally {
    input.unpipe(parser);
    parser.destroy();
  }
}
function countNewlines(cells: string[]): number {
  let n = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  }
  return n;
}
