import { useEffect, useState } from 'preact/hooks';
import type { ImportResponse } from '../../../shared/schemas/import';
import { messageOf, upload } from '../api';
import { errorReportCsv, guessColumn, headerOf } from '../import/csv-text';

/** The mapping's fields: the query parameter each sets, its label, and the header names guessed for it. */
const FIELDS = [
  { param: 'idColumn', label: 'External id column', guess: ['id', 'externalid', 'leadid', 'crmid'] },
  { param: 'emailColumn', label: 'Email column', guess: ['email', 'emailaddress', 'mail'] },
  { param: 'outcomeColumn', label: 'Outcome column', guess: ['outcome', 'converted', 'won', 'result', 'status'] },
  { param: 'outcomeDateColumn', label: 'Outcome date column', guess: ['outcomeat', 'outcomedate', 'closedat', 'closedate', 'closed'] },
  { param: 'nameColumn', label: 'Name column', guess: ['name', 'fullname', 'leadname'] },
  { param: 'createdColumn', label: 'Created date column', guess: ['createdat', 'created', 'createddate'] },
] as const;
type Mapping = Record<(typeof FIELDS)[number]['param'], string>;

/** Enough of the file for any sane header; only this part is read in the browser, the rest streams to the API. */
const HEADER_BYTES = 64 * 1024;

/** CSV import (admin): pick a file, map its columns, dry-run to see the errors, import, download the error report. */
export function Import() {
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Mapping>({ idColumn: '', emailColumn: '', outcomeColumn: '', outcomeDateColumn: '', nameColumn: '', createdColumn: '' });
  const [result, setResult] = useState<ImportResponse | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setResult(null);
    setError('');
    if (!chosen) return setHeaders([]);
    const found = headerOf(await chosen.slice(0, HEADER_BYTES).text());
    setHeaders(found);
    setMapping(Object.fromEntries(FIELDS.map((f) => [f.param, guessColumn(found, f.guess)])) as Mapping);
  };

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError('');
    try {
      const params = new URLSearchParams(Object.entries(mapping).filter(([, column]) => column));
      if (dryRun) params.set('dryRun', 'true');
      setResult(await upload<ImportResponse>('/api/import', params, file));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Import</h1>
      <p>
        Import leads from a CSV file: each row creates or updates the lead its id or email names; other columns become attributes.
        Try a dry run first: it writes nothing and lists what would fail.
      </p>
      <form class="card import" onSubmit={(e) => e.preventDefault()}>
        <label>
          CSV file
          <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.currentTarget.files?.[0] ?? null)} />
        </label>
        {headers.length > 0 && (
          <fieldset>
            <legend>Columns ({headers.length} in the file)</legend>
            {FIELDS.map((field) => (
              <label key={field.param}>
                {field.label}
                <select value={mapping[field.param]} onChange={(e) => setMapping({ ...mapping, [field.param]: e.currentTarget.value })}>
                  <option value="">(none)</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>{h}</option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        )}
        <div class="actions">
          <button type="button" disabled={!file || busy} onClick={() => void send(true)}>Dry run</button>
          <button type="button" disabled={!file || busy} onClick={() => void send(false)}>Import</button>
        </div>
      </form>
      {error && <p role="alert" class="error">{error}</p>}
      {result && <ImportResult result={result} />}
    </>
  );
}

function ImportResult({ result }: { result: ImportResponse }) {
  return (
    <section class="card" aria-labelledby="result-h" role="status">
      <h2 id="result-h">{result.dryRun ? 'Dry run: nothing was written' : 'Imported'}</h2>
      <p>
        {result.rows} rows: {result.created} {result.dryRun ? 'would be created' : 'created'}, {result.updated} {result.dryRun ? 'would be updated' : 'updated'}, {result.failed} failed.
      </p>
      {result.stopped && (
        <p class="error">
          The file could not be read past line {result.stopped.line}: {result.stopped.reason}
        </p>
      )}
      {result.errors.length > 0 && <Errors result={result} />}
    </section>
  );
}

function Errors({ result }: { result: ImportResponse }) {
  const [href, setHref] = useState('');
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([errorReportCsv(result.errors)], { type: 'text/csv' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [result]);
  return (
    <>
      <p>
        {result.errorCount} errors{result.errorCount > result.errors.length && ` (the first ${result.errors.length} listed)`}.{' '}
        {href && <a href={href} download="import-errors.csv">Download the error report</a>}
      </p>
      <table>
        <caption class="visually-hidden">Rows not imported</caption>
        <thead><tr><th scope="col" class="num">Line</th><th scope="col">Column</th><th scope="col">Reason</th></tr></thead>
        <tbody>
          {result.errors.slice(0, 100).map((e, i) => (
            <tr key={i}>
              <td class="num">{e.line}</td>
              <td>{e.column || '(row)'}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
