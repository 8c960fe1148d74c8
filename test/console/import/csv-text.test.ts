import { describe, expect, it } from 'vitest';
import { errorReportCsv, guessColumn, headerOf } from '../../../console/src/import/csv-text';

describe('the import page reading a CSV in the browser', () => {
  it('reads the header from the first record: quotes, doubled quotes, a BOM, CRLF', () => {
    expect(headerOf('\uFEFFid,Email,"Closed, at","say ""hi"""\r\n1,a@b.example,x,y')).toEqual(['id', 'Email', 'Closed, at', 'say "hi"']);
    expect(headerOf('"multi\nline",b\nrow')).toEqual(['multi\nline', 'b']);
    expect(headerOf('')).toEqual([]);
  });

  it('guesses the mapping from header names', () => {
    expect(guessColumn(['Lead ID', 'E-mail', 'Outcome'], ['email', 'mail'])).toBe('E-mail');
    expect(guessColumn(['a', 'b'], ['email'])).toBe('');
  });

  it('writes the error report as CSV a spreadsheet opens safely', () => {
    const csv = errorReportCsv([
      { line: 3, column: 'email', reason: 'not an email: "x, y"' },
      { line: 9, column: '', reason: '=HYPERLINK("http://evil.example")' },
    ]);
    expect(csv).toBe('line,column,reason\r\n3,email,"not an email: ""x, y"""\r\n9,,"\'=HYPERLINK(""http://evil.example"")"\r\n');
  });
});
