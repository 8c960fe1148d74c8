import { describe, expect, it } from 'vitest';
import { exportUrl, FIRST_PAGE, listUrl, pageBack, pageCursor, pageForward, viewFromParams, viewToParams } from '../../console/src/leads-view';

describe('the leads table view', () => {
  it('reads the view from the hash query, defaulting to any filter and the score order', () => {
    expect(viewFromParams(new URLSearchParams(''))).toEqual({ q: '', tier: '', stage: '', grade: '', outcome: '', sort: 'score' });
    expect(viewFromParams(new URLSearchParams('tier=Hot&sort=activity&outcome=open'))).toMatchObject({ tier: 'Hot', sort: 'activity', outcome: 'open' });
    expect(viewFromParams(new URLSearchParams('sort=name')).sort).toBe('score');
  });

  it('writes only what differs from the default, so links stay short', () => {
    const view = viewFromParams(new URLSearchParams('q=%20acme%20&tier=Hot'));
    expect(viewToParams(view).toString()).toBe('q=acme&tier=Hot');
    expect(viewToParams({ ...view, sort: 'activity' }).get('sort')).toBe('activity');
    expect(viewToParams(viewFromParams(new URLSearchParams(''))).toString()).toBe('');
  });

  it('asks the API for one page of the view, from a cursor', () => {
    const view = viewFromParams(new URLSearchParams('grade=A'));
    expect(listUrl(view, 50)).toBe('/api/leads/list?grade=A&sort=score&limit=50');
    expect(listUrl(view, 50, 'abc')).toBe('/api/leads/list?grade=A&sort=score&limit=50&cursor=abc');
  });

  it('walks pages forward by cursor and back to where each started', () => {
    let trail = FIRST_PAGE;
    expect(pageCursor(trail)).toBeUndefined();
    trail = pageForward(trail, 'c2');
    trail = pageForward(trail, 'c3');
    expect([trail.length, pageCursor(trail)]).toEqual([3, 'c3']);
    trail = pageBack(trail);
    expect([trail.length, pageCursor(trail)]).toEqual([2, 'c2']);
    expect(pageBack(pageBack(pageBack(trail)))).toEqual(FIRST_PAGE);
  });

  it('links the CSV export of the view: its tier, the only filter the export takes', () => {
    expect(exportUrl(viewFromParams(new URLSearchParams('tier=Hot&q=acme')))).toBe('/api/leads/export.csv?tier=Hot');
    expect(exportUrl(viewFromParams(new URLSearchParams('stage=SQL')))).toBe('/api/leads/export.csv');
    expect(exportUrl(viewFromParams(new URLSearchParams('tier=A%26B')))).toBe('/api/leads/export.csv?tier=A%26B');
  });
});
