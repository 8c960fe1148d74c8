import { useEffect, useMemo, useState } from 'preact/hooks';
import { FilterChoice } from '../FilterChoice';
import type { LeadListResponse, LeadListRow } from '../../../shared/schemas/lead-list';
import type { ScoringModel } from '../../../shared/schemas/model';
import { api, messageOf } from '../api';
import { GRADES, OUTCOMES, STAGES } from '../choices';
import { formatDate } from '../format';
import { exportUrl, FIRST_PAGE, listUrl, pageBack, pageCursor, pageForward, viewFromParams, viewToParams, type LeadsView, type PageTrail } from '../leads-view';
import { leadHref, navigate } from '../router';
import { onRowKey } from '../row-keys';
import { isAdmin } from '../session';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/** Every lead of the workspace, a page at a time from the server: search, filters, order. */
export function Leads({ params }: { params: URLSearchParams }) {
  const viewKey = params.toString();
  const view = useMemo(() => viewFromParams(params), [viewKey]);
  const [tiers, setTiers] = useState<string[]>([]);
  // The pages walked in this view; another view (the URL changed) starts again at page 1.
  const [walked, setWalked] = useState<{ view: string; trail: PageTrail }>({ view: viewKey, trail: FIRST_PAGE });
  const trail = walked.view === viewKey ? walked.trail : FIRST_PAGE;
  const [page, setPage] = useState<LeadListResponse | null>(null);
  const [error, setError] = useState('');
  const [search, setSearch] = useState(view.q);

  useEffect(() => {
    void api<ScoringModel>('GET', '/api/model').then((m) => setTiers(m.tiers.map((t) => t.name)), () => {});
  }, []);

  useEffect(() => {
    let current = true;
    setError('');
    api<LeadListResponse>('GET', listUrl(view, PAGE_SIZE, pageCursor(trail))).then(
      (answer) => current && setPage(answer),
      (failure) => current && setError(messageOf(failure)),
    );
    return () => (current = false);
  }, [trail, viewKey]);

  useEffect(() => setSearch(view.q), [view.q]);

  // The search box updates the URL after a pause in typing, not on every key.
  useEffect(() => {
    if (search === view.q) return;
    const timer = setTimeout(() => change({ q: search }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const change = (patch: Partial<LeadsView>) => {
    const query = viewToParams({ ...view, ...patch }).toString();
    navigate(`#/leads${query ? `?${query}` : ''}`);
  };
  const move = (next: PageTrail) => {
    setPage(null);
    setWalked({ view: viewKey, trail: next });
  };

  return (
    <>
      <h1>Leads</h1>
      <form class="filters" role="search" onSubmit={(e) => (e.preventDefault(), change({ q: search }))}>
        <label>
          Search
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="Name, email or company" />
        </label>
        <FilterChoice label="Tier" value={view.tier} options={tiers} onChange={(tier) => change({ tier })} />
        <FilterChoice label="Stage" value={view.stage} options={STAGES} onChange={(stage) => change({ stage })} />
        <FilterChoice label="Grade" value={view.grade} options={GRADES} onChange={(grade) => change({ grade })} />
        <FilterChoice label="Outcome" value={view.outcome} options={[...OUTCOMES, 'open']} onChange={(outcome) => change({ outcome })} />
        <label>
          Sort by
          <select value={view.sort} onChange={(e) => change({ sort: e.currentTarget.value === 'activity' ? 'activity' : 'score' })}>
            <option value="score">Score</option>
            <option value="activity">Last activity</option>
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {isAdmin() && (
        <p class="export">
          <a href={exportUrl(view)} download>
            Download CSV
          </a>{' '}
          <span class="hint">
            of {view.tier ? `every ${view.tier} lead` : 'every lead'} (the export filters by tier only)
          </span>
        </p>
      )}
      <LeadTable rows={page?.leads ?? null} sort={view.sort} />
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={trail.length === 1} onClick={() => move(pageBack(trail))}>
          Previous page
        </button>
        <span aria-live="polite">Page {trail.length}</span>
        <button type="button" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && move(pageForward(trail, page.nextCursor))}>
          Next page
        </button>
      </nav>
    </>
  );
}

/**
 * Rows are focusable: Tab reaches the first, the arrow keys move between rows, Enter opens
 * the lead (as a click does).
 */
function LeadTable({ rows, sort }: { rows: LeadListRow[] | null; sort: string }) {
  if (rows === null) return <p aria-busy="true">Loading leads…</p>;
  if (rows.length === 0) return <p>No leads match.</p>;

  return (
    <table class="leads">
      <caption class="visually-hidden">Leads, by {sort === 'activity' ? 'last activity' : 'score'}, highest first. Press Enter on a row to open the lead.</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Company</th>
          <th scope="col" class="num">Score</th>
          <th scope="col">Tier</th>
          <th scope="col">Grade</th>
          <th scope="col">Stage</th>
          <th scope="col">Outcome</th>
          <th scope="col">Last activity</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} tabIndex={0} data-lead={row.id} onKeyDown={(e) => onRowKey(e, () => navigate(leadHref(row.id)))} onClick={() => navigate(leadHref(row.id))}>
            <td>{row.name ?? '—'}</td>
            <td>{row.email ?? '—'}</td>
            <td>{row.company ?? '—'}</td>
            <td class="num">{Math.round(row.score)}</td>
            <td>{row.tier}</td>
            <td>{row.grade}</td>
            <td>{row.stage}</td>
            <td>{row.outcome ?? 'open'}</td>
            <td>{formatDate(row.lastActivityAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
