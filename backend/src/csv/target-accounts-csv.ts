import type { Readable } from 'node:stream';
import { CUSTOM_KEY, MAX_TARGET_ACCOUNTS, type AccountAttributes } from '../../../shared/index';
import { emailDomainType } from '../../../shared/email-domains';
import { businessDomain } from '../domain/account-key';
import { DomainError } from '../domain/errors';
import type { TargetAccountRow } from '../store/store';
import * as cells from './cells';
import { attributeKeyOf } from './columns';
import { csvRecords, CsvStructureError, type CsvRecord } from './csv-records';
import { unguardFormula } from './formula-guard';

const MAX_NAME = 200;
const MAX_TEXT_ATTRIBUTE = 500;

/** A refused row of a target-account list: its file line and why. */
export interface TargetRowError {
  line: number;
  reason: string;
}

/** A target-account list read whole: the rows to write (each with its line) and the rows refused. */
export interface TargetList {
  rows: (TargetAccountRow & { line: number })[];
  errors: TargetRowError[];
}

type Kind = 'text' | 'number' | 'integer' | 'auto';
type Column = { index: number; header: string } & ({ role: 'domain' | 'name' | 'ignored' } | { role: 'attribute'; key: string; kind: Kind });

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Headers naming the company rather than an attribute of it. */
const DOMAIN_HEADERS = new Set(['domain']);
const NAME_HEADERS = new Set(['name', 'company', 'companyname']);
/** The account attributes the default model's fit rules read, and how their cells are read. */
const TYPED: Record<string, Kind> = { industry: 'text', companySize: 'integer', annualRevenue: 'number', country: 'text' };

/**
 * Reads a target-account list: a `domain` column (a domain, URL or email address, kept as its
 * registrable domain), an optional `name`, and every other column an account attribute
 * (industry, companySize, annualRevenue, country typed as for leads; other columns numbers when
 * every value is one, text otherwise; `targetAccount` is ignored: every listed company is one).
 * The whole file is read before anything is written, so a file that cannot be read (unbalanced
 * quotes, an over-long row, no domain column, no rows, more than MAX_TARGET_ACCOUNTS rows) is a
 * DomainError and nothing of it is written. A bad row (a free-mail or invalid domain, a bad cell,
 * a domain listed twice) is refused whole with its line.
 */
export async function readTargetAccounts(input: Readable): Promise<TargetList> {
  const records = csvRecords(input);
  try {
    const all = await readAll(records);
    const [header, ...body] = all;
    if (!header) throw new DomainError('invalid', 'empty_file', 'the file is empty: the first line must be a header with a domain column');
    if (body.length === 0) throw new DomainError('invalid', 'no_rows', 'the file has a header but no rows');
    if (body.length > MAX_TARGET_ACCOUNTS) throw new DomainError('invalid', 'too_many_rows', `a target-account list holds at most ${MAX_TARGET_ACCOUNTS} rows; this one has ${body.length}`);
    const columns = planColumns(header.cells);
    detectNumbers(columns, body);
    const list: TargetList = { rows: [], errors: [] };
    const lineOfDomain = new Map<string, number>();
    for (const record of body) {
      const row = readRow(columns, record);
      if ('reason' in row) list.errors.push(row);
      else if (lineOfDomain.has(row.domain)) list.errors.push({ line: row.line, reason: `${row.domain} is already listed on line ${lineOfDomain.get(row.domain)}` });
      else {
        lineOfDomain.set(row.domain, row.line);
        list.rows.push(row);
      }
    }
    return list;
  } finally {
    await records.return(undefined);
  }
}

async function readAll(records: AsyncGenerator<CsvRecord>): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  try {
    // One past the limit is enough to refuse the file.
    for await (const record of records) if (all.push(record) > MAX_TARGET_ACCOUNTS + 1) break;
  } catch (error) {
    if (error instanceof CsvStructureError) throw new DomainError('invalid', 'invalid_csv', `line ${error.line}: ${error.message}; nothing was imported`);
    throw error;
  }
  return all;
}

function planColumns(header: string[]): Column[] {
  const seen = new Map<string, string>();
  const columns = header.map((raw, index): Column => {
    const text = raw.trim();
    if (text === '') throw new DomainError('invalid', 'invalid_header', `column ${index + 1} has no header`);
    const squashed = squash(text);
    const role = DOMAIN_HEADERS.has(squashed) ? 'domain' : NAME_HEADERS.has(squashed) ? 'name' : undefined;
    const key = role ?? attributeKeyOf(text);
    const twin = seen.get(key);
    if (twin !== undefined) throw new DomainError('invalid', 'invalid_header', `columns "${twin}" and "${text}" both name ${key}`);
    seen.set(key, text);
    if (role) return { index, header: text, role };
    if (key === 'targetAccount') return { index, header: text, role: 'ignored' };
    if (!CUSTOM_KEY.test(key)) throw new DomainError('invalid', 'invalid_header', `column "${text}" cannot be an attribute`);
    return { index, header: text, role: 'attribute', key, kind: TYPED[key] ?? 'auto' };
  });
  if (!columns.some((c) => c.role === 'domain')) {
    throw new DomainError('invalid', 'invalid_header', `the file needs a "domain" column (a domain, URL or email address per company); its columns are: ${columns.map((c) => c.header).join(', ')}`);
  }
  return columns;
}

/** Untyped columns whose non-blank values are all numbers are read as numbers, as the lead import does. */
function detectNumbers(columns: Column[], body: CsvRecord[]): void {
  for (const column of columns) {
    if (column.role !== 'attribute' || column.kind !== 'auto') continue;
    const values = body.map((r) => r.cells[column.index]?.trim() ?? '').filter((text) => text !== '');
    column.kind = values.length > 0 && values.every(cells.looksNumeric) ? 'number' : 'text';
  }
}

function readRow(columns: Column[], { line, cells: record }: CsvRecord): (TargetAccountRow & { line: number }) | TargetRowError {
  if (record.length !== columns.length) return { line, reason: `expected ${columns.length} fields (as in the header), found ${record.length}` };
  const row: TargetAccountRow & { line: number } = { line, domain: '', name: null, attributes: {} };
  let current: Column | undefined;
  try {
    for (current of columns) {
      const raw = record[current.index]!.trim();
      if (raw === '') continue;
      const text = unguardFormula(cells.storable(raw));
      if (current.role === 'domain') row.domain = domainOf(text);
      else if (current.role === 'name') row.name = cells.limited(text, MAX_NAME);
      else if (current.role === 'attribute') row.attributes[current.key] = attributeValue(current.kind, text);
    }
  } catch (error) {
    if (error instanceof cells.CellError) return { line, reason: `${current!.header}: ${error.message}` };
    throw error;
  }
  return row.domain ? row : { line, reason: 'no domain: each row needs the company\'s domain, website or an email address at it' };
}

function attributeValue(kind: Kind, text: string): AccountAttributes[string] {
  if (kind === 'number') return cells.number(text);
  if (kind === 'integer') return cells.integer(text);
  return cells.limited(text, MAX_TEXT_ATTRIBUTE);
}

/** The registrable business domain of a domain, URL or address; a CellError saying why not otherwise. */
function domainOf(text: string): string {
  const domain = businessDomain(text);
  if (domain) return domain;
  const host = text.includes('@') ? text : `x@${text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#:]/)[0]}`;
  const type = emailDomainType(host.toLowerCase());
  if (type === 'free' || type === 'disposable') throw new cells.CellError(`"${text}" is a ${type} mail domain: it never forms an account`);
  throw new cells.CellError(`"${text}" is not a company domain, website or email address`);
}
