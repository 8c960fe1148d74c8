import { LeadAttributes, type ImportError, type ImportOptions } from '../../../shared/index';
import type { ImportRow } from '../store/store';
import * as cells from './cells';
import type { ImportColumn } from './columns';
import { unguardFormula } from './formula-guard';

const MAX_EXTERNAL_ID = 200;
const MAX_NAME = 200;
const MAX_TEXT_ATTRIBUTE = 500;

function attributeValue(column: ImportColumn, text: string): string | number | boolean {
  switch (column.kind) {
    case 'number':
      return cells.number(text);
    case 'integer':
      return cells.integer(text);
    case 'boolean':
      return cells.boolean(text);
    case 'enum':
      return text.toLowerCase();
    default:
      return cells.limited(text, MAX_TEXT_ATTRIBUTE);
  }
}

/**
 * One record of the file as an ImportRow, or the first reason it cannot be imported (the row is
 * then skipped whole). Blank cells (see --missing) say nothing: the stored value stays. A
 * leading "'" that an export put before = + - @ is taken off (see formula-guard.ts).
 */
export function readRow(columns: ImportColumn[], record: string[], line: number, options: ImportOptions): ImportRow | ImportError {
  if (record.length !== columns.length) return { line, column: '', reason: `expected ${columns.length} fields (as in the header), found ${record.length}` };
  const row: ImportRow = { line, externalId: null, email: null, name: null, attributes: {}, outcome: undefined, outcomeAt: null, createdAt: null };
  let current: ImportColumn | undefined;
  try {
    for (current of columns) {
      const raw = record[current.index]!.trim();
      if (raw === '' || options.missing.includes(raw.toLowerCase())) continue;
      const text = unguardFormula(cells.storable(raw));
      switch (current.role) {
        case 'externalId':
          row.externalId = cells.limited(text, MAX_EXTERNAL_ID);
          break;
        case 'email':
          row.email = cells.email(text);
          break;
        case 'name':
          row.name = cells.limited(text, MAX_NAME);
          break;
        case 'outcome':
          row.outcome = cells.outcome(text, options.won, options.lost);
          break;
        case 'outcomeDate':
          row.outcomeAt = cells.date(text);
          break;
        case 'created':
          row.createdAt = cells.date(text);
          break;
        case 'attribute':
          row.attributes[current.attribute!] = attributeValue(current, text);
          break;
      }
    }
  } catch (error) {
    if (error instanceof cells.CellError) return { line, column: current?.header ?? '', reason: error.message };
    throw error;
  }
  if (!row.externalId && !row.email) {
    const keys = columns.filter((c) => c.role === 'externalId' || c.role === 'email').map((c) => c.header);
    return { line, column: keys.join(' / '), reason: 'the row has no external id and no email: nothing identifies the lead' };
  }
  const problem = attributeProblem(columns, row.attributes);
  return problem ? { line, ...problem } : row;
}

/** The typed attributes' own rules (seniority values, rating 0-10, ...), reported on their column. */
function attributeProblem(columns: ImportColumn[], attributes: ImportRow['attributes']): { column: string; reason: string } | undefined {
  const parsed = LeadAttributes.safeParse(attributes);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const header = columns.find((c) => c.attribute === key)?.header ?? key;
  return { column: header, reason: `${JSON.stringify(attributes[key])}: ${issue.message}` };
}
