import type { ImportError } from '../../../shared/schemas/import';

/**
 * The header of a CSV file from its first bytes: the first record, quotes and doubled quotes
 * understood (a quoted header may hold commas or line breaks), a UTF-8 BOM dropped.
 */
export function headerOf(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') fields.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim()).filter((f, i, all) => f !== '' || all.length > 1);
}

/** The column a header most likely holds, by name ("Email", "e-mail"), for the mapping's first guess. */
export function guessColumn(headers: readonly string[], names: readonly string[]): string {
  const plain = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  return headers.find((h) => names.includes(plain(h))) ?? '';
}

/** A cell for the error report: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The import's row errors as a CSV file (line, column, reason) for the admin to fix the source with. */
export function errorReportCsv(errors: readonly ImportError[]): string {
  return ['line,column,reason', ...errors.map((e) => [e.line, e.column, e.reason].map(cell).join(','))].join('\r\n') + '\r\n';
}
