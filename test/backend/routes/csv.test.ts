import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { ImportResponse, LeadDetail, LookupResponse } from '../../../shared/index';
import { hasPostgres } from '../../support/env';
import { apiError, bearer, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';

const KEYS = 'idColumn=CRM%20Id&emailColumn=E-mail&nameColumn=Full%20name&outcomeColumn=Deal%20stage&outcomeDateColumn=Closed%20on&createdColumn=Created';
const HEADER = 'CRM Id,E-mail,Full name,Job Title,Industry,Company size,Deal stage,Closed on,Created,Seats (2024),Notes';
const GOOD = [
  'A-1,ann@acme.com,Ann Lee,VP Sales,Software,250,won,2025-03-01,2024-11-05,12,likes webinars',
  'A-2,,Bob Roe,CTO,Retail,N/A,lost,2025-04-01,2024-12-01,7,-',
  'A-3,cy@globex.com,Cy Diaz,Engineer,Software,40,,,2025-01-15,3,"quoted, with a comma"',
];
/** The leads table rows written, read over a separate connection. */
const leadRows = async (f: AppFixture) => ((await f.dump()).leads ?? []) as Record<string, unknown>[];

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

describe.each(kinds)('CSV import and export on %s', (kind, available) => {
  let f: AppFixture;
  beforeEach(async () => {
    if (available) f = await openFixture(kind);
  });
  afterEach(async () => {
    if (available) await f.close();
  });

  const importCsv = (body: string | Blob, query = KEYS, token = f.adminToken) =>
    f.app.request(`/api/import?${query}`, { method: 'POST', headers: bearer(token, { 'Content-Type': 'text/csv' }), body });
  const imported = async (body: string | Blob, query = KEYS) => {
    const response = await importCsv(body, query);
    expect(response.status).toBe(200);
    return ImportResponse.parse(await response.json());
  };
  const lookup = async (param: string) => LookupResponse.parse(await (await jsonRequest(f.app, 'GET', `/api/leads?${param}`, f.repToken)).json()).leads;
  const detail = async (id: string) => LeadDetail.parse(await (await jsonRequest(f.app, 'GET', `/api/leads/${id}`, f.repToken)).json());
  const exported = async (query = '') => {
    const response = await f.app.request(`/api/leads/export.csv${query}`, { headers: bearer(f.adminToken) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    return response.text();
  };

  it.runIf(available)('imports leads with typed and custom attributes, outcomes and dates; lookups by external id find them', async () => {
    const result = await imported([HEADER, ...GOOD].join('\n'));
    expect(result).toMatchObject({ rows: 3, created: 3, updated: 0, failed: 0, errorCount: 0, stopped: null, dryRun: false });
    expect(result.columns.find((c) => c.header === 'Job Title')).toMatchObject({ attribute: 'jobTitle' });
    expect(result.columns.find((c) => c.header === 'Seats (2024)')).toMatchObject({ attribute: 'Seats_2024', role: 'number attribute' });

    const leads = await lookup('externalId=A-1,A-2,nope&email=cy@globex.com');
    expect(leads.nope).toBeNull();
    expect(leads['A-2']).toMatchObject({ email: null, name: 'Bob Roe', stage: 'Disqualified' });
    const ann = await detail(leads['A-1']!.id);
    expect(ann).toMatchObject({ outcome: 'won', stage: 'Customer', email: 'ann@acme.com' });
    const attributes = Object.fromEntries(ann.attributes.map((a) => [a.key, a.value]));
    expect(attributes).toMatchObject({ jobTitle: 'VP Sales', industry: 'Software', companySize: 250, Seats_2024: 12, Notes: 'likes webinars' });
    // "N/A" and "-" are blanks: Bob has no company size and no notes.
    const bob = await detail(leads['A-2']!.id);
    expect(bob.attributes.map((a) => a.key)).not.toContain('companySize');
    expect(bob.attributes.map((a) => a.key)).not.toContain('Notes');
    const row = (await leadRows(f)).find((r) => r.id === leads['A-1']!.id)!;
    expect(Number(row.outcome_at)).toBe(Date.parse('2025-03-01T00:00:00Z'));
    expect(Number(row.created_at)).toBe(Date.parse('2024-11-05T00:00:00Z'));
    // A past lead's attributes are dated when the file says it was created, so a backtest as of its outcome sees them.
    const history = ((await f.dump()).attribute_history as Record<string, unknown>[]).filter((h) => h.lead_id === row.id && h.key === 'jobTitle');
    expect(history.map((h) => [h.value, Number(h.at)])).toEqual([['"VP Sales"', Date.parse('2024-11-05T00:00:00Z')]]);
  });

  it.runIf(available)("puts imported leads in their company's account, and a re-import that gives a lead an email moves it into one", async () => {
    await imported([HEADER, ...GOOD].join('\n'));
    const first = await lookup('email=ann@acme.com,cy@globex.com');
    expect(first['ann@acme.com']?.account).toMatchObject({ domain: 'acme.com' });
    expect(first['cy@globex.com']?.account).toMatchObject({ domain: 'globex.com' });
    // Bob came without an email, so in no account; the next file gives him one.
    await imported([HEADER, 'A-2,bob@initech.com,Bob Roe,CTO,Retail,N/A,lost,2025-04-01,2024-12-01,7,-'].join('\n'));
    const bob = (await lookup('email=bob@initech.com'))['bob@initech.com']!;
    expect(bob.account).toMatchObject({ domain: 'initech.com' });
    const stored = (await leadRows(f)).filter((r) => r.account_id !== null).map((r) => r.id);
    expect(stored).toEqual(expect.arrayContaining([first['ann@acme.com']!.id, first['cy@globex.com']!.id, bob.id]));
  });

  it.runIf(available)('a re-import updates the same leads and never duplicates them', async () => {
    await imported([HEADER, ...GOOD].join('\n'));
    const before = await f.dump();
    const again = await imported([HEADER, ...GOOD].join('\r\n'));
    expect(again).toMatchObject({ rows: 3, created: 0, updated: 3, failed: 0 });
    const after = await f.dump();
    expect(after.leads!.length).toBe(3);
    expect(after.identities!.length).toBe(before.identities!.length);
    expect(after.stage_changes!.length).toBe(before.stage_changes!.length);
    expect(after.attribute_history!.length).toBe(before.attribute_history!.length);
    // A changed value updates the lead; a blank cell leaves the stored value.
    const changed = await imported([HEADER, 'A-1,ann@acme.com,,CEO,,,,,,,'].join('\n'));
    expect(changed).toMatchObject({ created: 0, updated: 1 });
    const ann = await detail((await lookup('externalId=A-1'))['A-1']!.id);
    expect(Object.fromEntries(ann.attributes.map((a) => [a.key, a.value]))).toMatchObject({ jobTitle: 'CEO', industry: 'Software', companySize: 250 });
    expect(ann).toMatchObject({ name: 'Ann Lee', outcome: 'won' });
    // The change is dated now (it was learned now); the unchanged values keep their dates.
    const history = ((await f.dump()).attribute_history as Record<string, unknown>[]).filter((h) => h.lead_id === ann.id && h.key === 'jobTitle');
    expect(history.map((h) => [h.value, Number(h.at)])).toEqual([['"VP Sales"', Date.parse('2024-11-05T00:00:00Z')], ['"CEO"', NOW]]);
  });

  it.runIf(available)('reports each bad row (line, column, reason) and skips it whole while good rows import', async () => {
    const rows = [
      HEADER,
      GOOD[0],
      'A-4,not-an-email,Dee,,,,,,,,',
      'A-5,eve@x.com,Eve,,,many,,,,,',
      'A-6,fay@x.com,Fay,,,,maybe,,,,',
      'A-7,gus@x.com',
      ',,Nobody,,,,,,,,',
      'A-8,ann@acme.com,Hal,,,,,,,,',
      'A-9,ida@x.com,Ida,,,,,2025-13-45,,,',
      GOOD[2],
    ];
    const result = await imported(rows.join('\n'));
    expect(result).toMatchObject({ rows: 9, created: 2, failed: 7, errorCount: 7 });
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'E-mail'],
      [4, 'Company size'],
      [5, 'Deal stage'],
      [6, ''],
      [7, 'CRM Id / E-mail'],
      [9, 'Closed on'],
      [8, 'CRM Id'],
    ]);
    expect(result.errors.find((e) => e.line === 6)!.reason).toContain('expected 11 fields');
    // A-8's email is Ann's, who has another external id: refused, not attached to her.
    expect(result.errors.find((e) => e.line === 8)!.reason).toContain('has the external id "A-1"');
    // Skipped whole: none of the failed rows left a lead, an identity or an attribute.
    const stored = await leadRows(f);
    expect(stored.map((r) => r.email).sort()).toEqual(['ann@acme.com', 'cy@globex.com']);
    expect((await lookup('externalId=A-4,A-5,A-6,A-7,A-8,A-9'))).toEqual({ 'A-4': null, 'A-5': null, 'A-6': null, 'A-7': null, 'A-8': null, 'A-9': null });
    expect(JSON.stringify(stored)).not.toContain('Hal');
  });

  it.runIf(available)('refuses empty files, a header only and headers that do not fit, writing nothing', async () => {
    await apiError(await importCsv(''), 400, 'empty_file');
    await apiError(await importCsv('\uFEFF'), 400, 'empty_file');
    await apiError(await importCsv(`${HEADER}\r\n`), 400, 'no_rows');
    const missing = await apiError(await importCsv('Id,Email\n1,a@b.co\n'), 400, 'invalid_header');
    expect(missing.message).toContain('"CRM Id" is not a column');
    await apiError(await importCsv('CRM Id,E-mail,Full name,Deal stage,Closed on,Created,industry,Industry\n1,a@b.co,,,,,x,y\n'), 400, 'invalid_header');
    await apiError(await importCsv('x', 'emailColumn=E-mail&bogus=1'), 400, 'invalid_query');
    await apiError(await importCsv('x', 'nameColumn=x'), 400, 'invalid_query');
    await apiError(await importCsv(`${HEADER}\n${GOOD[0]}`, KEYS, f.repToken), 403, 'forbidden');
    expect(await leadRows(f)).toEqual([]);
  });

  it.runIf(available)('reads a BOM and CRLF; stops at unbalanced quotes or a 10 MB line with the rows before it imported', async () => {
    const bomCrlf = await imported(`\uFEFF${[HEADER, ...GOOD].join('\r\n')}\r\n`);
    expect(bomCrlf).toMatchObject({ rows: 3, created: 3, failed: 0 });
    expect(bomCrlf.columns[0]!.header).toBe('CRM Id');

    const unbalanced = await imported([HEADER, 'B-1,b1@x.com,B One,,,,,,,,', 'B-2,b2@x.com,"B Two,,,,,,,,,', 'B-3,b3@x.com,B Three,,,,,,,,'].join('\n'));
    expect(unbalanced).toMatchObject({ created: 1, errorCount: 1 });
    expect(unbalanced.stopped).toMatchObject({ line: 3, column: '' });
    expect(unbalanced.stopped!.reason).toContain('unbalanced quotes');
    expect(await lookup('externalId=B-1,B-2,B-3')).toMatchObject({ 'B-1': expect.anything(), 'B-2': null, 'B-3': null });

    const long = await imported([HEADER, 'C-1,c1@x.com,C One,,,,,,,,', `C-2,c2@x.com,C Two,,,,,,,,${'x'.repeat(10 * 1024 * 1024)}`, 'C-3,c3@x.com,,,,,,,,,'].join('\n'));
    expect(long.stopped!.reason).toContain('longer than');
    expect(long.stopped!.line).toBe(3);
    expect(await lookup('externalId=C-1,C-2')).toMatchObject({ 'C-1': expect.anything(), 'C-2': null });
  });

  it.runIf(available)('refuses a row with bytes that are not UTF-8, and imports the others', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nD-1,d1@x.com,Ren`), Buffer.from([0xe9]), Buffer.from(`e,,,,,,,,\n${GOOD[0]}\n`)]);
    const result = await imported(new Blob([latin1]));
    expect(result).toMatchObject({ created: 1, failed: 1 });
    expect(result.errors[0]).toMatchObject({ line: 2, column: 'Full name' });
    expect(result.errors[0]!.reason).toContain('not UTF-8');
    expect(JSON.stringify(await leadRows(f))).not.toContain('\uFFFD');
  });

  it.runIf(available)('a dry run counts exactly and writes nothing', async () => {
    const result = await imported([HEADER, ...GOOD, 'A-1,ann@acme.com,Dup,,,,,,,,'].join('\n'), `${KEYS}&dryRun=true`);
    expect(result).toMatchObject({ dryRun: true, rows: 4, created: 3, failed: 0 });
    expect(await leadRows(f)).toEqual([]);
  });

  it.runIf(available)('leads with only an external id merge and erase like any other', async () => {
    await imported([HEADER, ...GOOD].join('\n'));
    const ids = await lookup('externalId=A-2&email=cy@globex.com');
    const merged = await jsonRequest(f.app, 'POST', `/api/leads/${ids['cy@globex.com']!.id}/merge`, f.repToken, { other: ids['A-2']!.id });
    expect(merged.status).toBe(200);
    // The survivor answers to both external ids now.
    expect((await lookup('externalId=A-2'))['A-2']!.id).toBe(ids['cy@globex.com']!.id);
    expect((await jsonRequest(f.app, 'DELETE', `/api/leads/${ids['cy@globex.com']!.id}`, f.adminToken)).status).toBe(200);
    expect(await lookup('externalId=A-2,A-3')).toEqual({ 'A-2': null, 'A-3': null });
    // Importing again creates them afresh (nothing of the erased lead was left to match).
    expect(await imported([HEADER, GOOD[1]].join('\n'))).toMatchObject({ created: 1, updated: 0 });
  });

  it.runIf(available)('export round-trips through import, guards formulas, and filters by tier', async () => {
    await imported([HEADER, ...GOOD, 'A-4,dan@acme.com,"=HYPERLINK(""http://evil"")",,,,,,,,+1 555'].join('\n'));
    const csv = await exported();
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(4);
    const dan = records.find((r) => r.external_id === 'A-4')!;
    expect(dan.name).toBe('\'=HYPERLINK("http://evil")');
    expect(dan.Notes).toBe("'+1 555");
    const ann = records.find((r) => r.external_id === 'A-1')!;
    expect(ann).toMatchObject({ email: 'ann@acme.com', outcome: 'won', outcome_at: '2025-03-01T00:00:00.000Z', jobTitle: 'VP Sales', companySize: '250', 'leadscore.stage': 'Customer' });
    expect(ann['leadscore.reasons']).toContain('(+');

    // Into another workspace: the same leads, attributes, outcomes and dates.
    const back = await f.app.request('/api/import?idColumn=external_id&emailColumn=email&nameColumn=name&outcomeColumn=outcome&outcomeDateColumn=outcome_at&createdColumn=created_at', {
      method: 'POST',
      headers: bearer(f.other.adminToken, { 'Content-Type': 'text/csv' }),
      body: csv,
    });
    expect(ImportResponse.parse(await back.json())).toMatchObject({ rows: 4, created: 4, failed: 0 });
    const again = await f.app.request('/api/leads/export.csv', { headers: bearer(f.other.adminToken) });
    const strip = (text: string) => (parse(text, { columns: true }) as Record<string, string>[]).map(({ 'leadscore.id': _id, ...rest }) => rest).sort((a, b) => a.external_id!.localeCompare(b.external_id!));
    expect(strip(await again.text())).toEqual(strip(csv));

    const cold = parse(await exported('?tier=Cold'), { columns: true }) as Record<string, string>[];
    expect(cold.every((r) => r['leadscore.tier'] === 'Cold')).toBe(true);
    expect(parse(await exported('?tier=Hot'), { columns: true })).toEqual([]);
    await apiError(await f.app.request('/api/leads/export.csv?tier=Lukewarm', { headers: bearer(f.adminToken) }), 400, 'unknown_tier');
    await apiError(await f.app.request('/api/leads/export.csv', { headers: bearer(f.repToken) }), 403, 'forbidden');
  });

  it.runIf(available)('keeps outcomes and their dates as of the file, at NOW for a rep', async () => {
    await imported([HEADER, GOOD[2]].join('\n'));
    const cy = (await lookup('email=cy@globex.com'))['cy@globex.com']!;
    expect((await jsonRequest(f.app, 'PATCH', `/api/leads/${cy.id}`, f.repToken, { outcome: 'won' })).status).toBe(200);
    expect(Number((await leadRows(f)).find((r) => r.id === cy.id)!.outcome_at)).toBe(NOW);
  });
});

describe('POST /api/import with a body that breaks off', () => {
  it('answers 400 incomplete_body, not a 500', async () => {
    const f = await openFixture('sqlite');
    try {
      const rows = Array.from({ length: 2_500 }, (_, i) => `E-${i},e${i}@x.com,,,,,,,,,`);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode([HEADER, ...rows].join('\n')));
          controller.error(new Error('connection reset'));
        },
      });
      const response = await f.app.request(`/api/import?${KEYS}`, { method: 'POST', headers: bearer(f.adminToken, { 'Content-Type': 'text/csv' }), body, duplex: 'half' } as RequestInit);
      await apiError(response, 400, 'incomplete_body');
    } finally {
      await f.close();
    }
  });
});
