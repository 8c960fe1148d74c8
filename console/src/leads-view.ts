import type { LeadListSort } from '../../shared/schemas/lead-list';

/** What the leads table shows: a search, filters and an order (kept in the URL hash). */
export interface LeadsView {
  q: string;
  tier: string;
  stage: string;
  grade: string;
  outcome: string;
  sort: LeadListSort;
}

const FIELDS = ['q', 'tier', 'stage', 'grade', 'outcome'] as const;

/** The view a hash's query names; unknown values fall back to "any" and the score order. */
export function viewFromParams(params: URLSearchParams): LeadsView {
  const view: LeadsView = { q: '', tier: '', stage: '', grade: '', outcome: '', sort: params.get('sort') === 'activity' ? 'activity' : 'score' };
  for (const field of FIELDS) view[field] = params.get(field)?.slice(0, 200) ?? '';
  return view;
}

/** The view as query parameters, leaving out what is empty or the default. */
export function viewToParams(view: LeadsView): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = view[field].trim();
    if (value) params.set(field, value);
  }
  if (view.sort !== 'score') params.set('sort', view.sort);
  return params;
}

/** GET /api/leads/list for the view, one page from `cursor`. */
export function listUrl(view: LeadsView, limit: number, cursor?: string): string {
  const params = viewToParams(view);
  params.set('sort', view.sort);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `/api/leads/list?${params}`;
}

/**
 * Where each page of the current view starts: the first page has no cursor, page n+1 starts
 * at page n's nextCursor. Going back drops the last start; changing the view starts over.
 */
export type PageTrail = readonly (string | undefined)[];

export const FIRST_PAGE: PageTrail = [undefined];
export const pageForward = (trail: PageTrail, next: string): PageTrail => [...trail, next];
export const pageBack = (trail: PageTrail): PageTrail => (trail.length > 1 ? trail.slice(0, -1) : trail);
export const pageCursor = (trail: PageTrail): string | undefined => trail.at(-1);

/**
 * GET /api/leads/export.csv (admin) for the view. The export filters by tier only: the other
 * filters and the search are not applied, and the link says so.
 */
export function exportUrl(view: LeadsView): string {
  return view.tier ? `/api/leads/export.csv?tier=${encodeURIComponent(view.tier)}` : '/api/leads/export.csv';
}
