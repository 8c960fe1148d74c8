import { afterEach, describe, expect, it } from 'vitest';
import { compileModel, DEFAULT_MODEL, LeadListResponse, type LeadListRow } from '../../../shared/index';
import { blankLead } from '../../../backend/src/store/leads/lead-rows';
import { leadToRow } from '../../../backend/src/store/sql/rows';
import { hasPostgres } from '../../support/env';
import { apiError, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';

const compiled = compileModel(DEFAULT_MODEL);
let n = 0;

interface Fields {
  id?: string;
  name?: string | null;
  email?: string | null;
  company?: string;
  score: number;
  tier?: string;
  grade?: string;
  stage?: string;
  outcome?: 'won' | 'lost' | null;
  updatedAt?: number;
  workspaceId?: string;
}

/** A stored lead row with exactly these fields. */
function row(f: AppFixture, fields: Fields) {
  const attributes: Record<string, { value: string; setBy: string; setAt: number }> = fields.company === undefined ? {} : { company: { value: fields.company, setBy: 'import', setAt: NOW } };
  const lead = blankLead(compiled, fields.id ?? `ld_l${String(++n).padStart(4, '0')}`, fields.workspaceId ?? f.workspace.id, { email: fields.email ?? null, name: fields.name ?? null, linkedinUrl: null, attributes }, NOW);
  return leadToRow({
    ...lead,
    score: fields.score,
    tier: fields.tier ?? (fields.score >= 70 ? 'Hot' : 'Cold'),
    grade: fields.grade ?? 'B',
    stage: (fields.stage ?? 'Prospect') as never,
    outcome: fields.outcome ?? null,
    updatedAt: fields.updatedAt ?? NOW,
  });
}

async function list(f: AppFixture, query: string, token = f.repToken): Promise<LeadListResponse> {
  const response = await jsonRequest(f.app, 'GET', `/api/leads/list${query}`, token);
  expect(response.status, await response.clone().text()).toBe(200);
  return LeadListResponse.parse(await response.json());
}

/** Every row of the view, following nextCursor page by page. */
async function walk(f: AppFixture, query: string, limit: number): Promise<LeadListRow[]> {
  const rows: LeadListRow[] = [];
  let cursor: string | null = null;
  do {
    const page: LeadListResponse = await list(f, `?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.leads.length).toBeLessThanOrEqual(limit);
    rows.push(...page.leads);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

describe.each(kinds)('GET /api/leads/list on %s', (kind, available) => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it.runIf(available)('pages through every lead once, highest score first, ties in a stable order', async () => {
    f = await openFixture(kind);
    const scores = [90, 75, 75, 75, 60, 40, 40, 10, 5, 0, 75, 33];
    await f.insertRows('leads', scores.map((score) => row(f, { score })));
    await f.insertRows('leads', [row(f, { score: 99, workspaceId: f.other.workspace.id })]);
    const rows = await walk(f, 'sort=score', 5);
    expect(rows.map((r) => r.score)).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(rows.map((r) => r.id)).size).toBe(scores.length); // nothing twice, nothing from the other workspace
  });

  it.runIf(available)('sorts by last activity, newest first', async () => {
    f = await openFixture(kind);
    await f.insertRows('leads', [row(f, { score: 10, name: 'Old', updatedAt: NOW - 3_000 }), row(f, { score: 90, name: 'New', updatedAt: NOW }), row(f, { score: 50, name: 'Mid', updatedAt: NOW - 1_000 })]);
    const rows = await walk(f, 'sort=activity', 2);
    expect(rows.map((r) => r.name)).toEqual(['New', 'Mid', 'Old']);
    expect(rows[0]!.lastActivityAt).toBe(new Date(NOW).toISOString());
  });

  it.runIf(available)('searches names, emails and companies in any case, with % and _ taken literally', async () => {
    f = await openFixture(kind);
    await f.insertRows('leads', [
      row(f, { score: 50, name: 'Ann Lee', email: 'ann@globex.test' }),
      row(f, { score: 40, name: 'Bob Stone', email: 'bob@initech.test', company: 'Acme Rockets' }),
      row(f, { score: 30, name: null, email: 'acme.buyer@mail.test' }),
      row(f, { score: 20, name: '100% Real_Name', email: 'real@x.test' }),
      row(f, { score: 10, name: 'Carl', email: 'carl@x.test', company: 'Umbrella' }),
    ]);
    const names = async (q: string) => (await list(f, `?q=${encodeURIComponent(q)}`)).leads.map((r) => r.email);
    expect(await names('ACME')).toEqual(['bob@initech.test', 'acme.buyer@mail.test']);
    expect(await names('lee')).toEqual(['ann@globex.test']);
    expect(await names('globex')).toEqual(['ann@globex.test']);
    expect(await names('%')).toEqual(['real@x.test']);
    expect(await names('l_e')).toEqual([]); // as a wildcard, _ would match "Lee"
    expect(await names('l_n')).toEqual(['real@x.test']);
    expect((await list(f, '?q=rockets')).leads[0]).toMatchObject({ company: 'Acme Rockets', name: 'Bob Stone' });
  });

  it.runIf(available)('filters by tier, stage, grade and outcome (open: none yet)', async () => {
    f = await openFixture(kind);
    await f.insertRows('leads', [
      row(f, { score: 80, name: 'hot-won', outcome: 'won', stage: 'Customer', grade: 'A' }),
      row(f, { score: 75, name: 'hot-open', stage: 'SQL', grade: 'A' }),
      row(f, { score: 20, name: 'cold-lost', outcome: 'lost', stage: 'Disqualified', grade: 'D' }),
      row(f, { score: 15, name: 'cold-open', grade: 'C' }),
    ]);
    const names = async (query: string) => (await list(f, query)).leads.map((r) => r.name);
    expect(await names('?tier=Hot')).toEqual(['hot-won', 'hot-open']);
    expect(await names('?outcome=open')).toEqual(['hot-open', 'cold-open']);
    expect(await names('?outcome=lost')).toEqual(['cold-lost']);
    expect(await names('?stage=SQL')).toEqual(['hot-open']);
    expect(await names('?grade=A&outcome=open')).toEqual(['hot-open']);
    expect(await names('?tier=Cold&grade=C&q=cold')).toEqual(['cold-open']);
  });
});

describe('GET /api/leads/list: bad input', () => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it('refuses bad queries and cursors with a clear code', async () => {
    f = await openFixture('sqlite');
    await f.insertRows('leads', [row(f, { score: 50 }), row(f, { score: 40 }), row(f, { score: 30 })]);
    const bad = (query: string) => jsonRequest(f.app, 'GET', `/api/leads/list${query}`, f.repToken);
    await apiError(await bad('?limit=1000'), 400, 'invalid_query');
    await apiError(await bad('?stage=Nope'), 400, 'invalid_query');
    await apiError(await bad('?sort=name'), 400, 'invalid_query');
    await apiError(await bad('?color=red'), 400, 'invalid_query');
    await apiError(await bad('?cursor=not-a-cursor'), 400, 'invalid_cursor');
    const { nextCursor } = await list(f, '?sort=score&limit=1');
    await apiError(await bad(`?sort=activity&cursor=${nextCursor}`), 400, 'invalid_cursor');
    await apiError(await jsonRequest(f.app, 'GET', '/api/leads/list', 'ls_rep_nope'), 401, 'invalid_token');
  });
});
