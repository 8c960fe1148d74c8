import { describe, expect, it } from 'vitest';
import { accountHref, leadHref, parseRoute } from '../../console/src/router';

describe('console routes (the location hash)', () => {
  it('opens the leads table by default, with its view state from the query', () => {
    expect(parseRoute('')).toMatchObject({ page: 'leads' });
    expect(parseRoute('#/')).toMatchObject({ page: 'leads' });
    const route = parseRoute('#/leads?tier=Hot&q=acme');
    expect(route.page).toBe('leads');
    expect(route.page === 'leads' && Object.fromEntries(route.params)).toEqual({ tier: 'Hot', q: 'acme' });
  });

  it('names a lead by its id, and round-trips ids that need escaping', () => {
    expect(parseRoute('#/leads/ld_abc')).toEqual({ page: 'lead', id: 'ld_abc' });
    expect(parseRoute(leadHref('ld/odd id?'))).toEqual({ page: 'lead', id: 'ld/odd id?' });
  });

  it('opens the accounts table with its tier filter, and an account by its id', () => {
    const route = parseRoute('#/accounts?tier=Hot');
    expect(route.page === 'accounts' && Object.fromEntries(route.params)).toEqual({ tier: 'Hot' });
    expect(parseRoute('#/accounts/ac_1')).toEqual({ page: 'account', id: 'ac_1' });
    expect(parseRoute(accountHref('ac/odd id?'))).toEqual({ page: 'account', id: 'ac/odd id?' });
    expect(parseRoute('#/accounts/a/b')).toEqual({ page: 'not-found', path: '/accounts/a/b' });
  });

  it('knows settings, evidence, the model and import, and nothing else', () => {
    expect(parseRoute('#/model')).toEqual({ page: 'model' });
    expect(parseRoute('#/import')).toEqual({ page: 'import' });
    expect(parseRoute('#/settings')).toEqual({ page: 'settings' });
    expect(parseRoute('#/evidence')).toEqual({ page: 'evidence' });
    expect(parseRoute('#/leads/a/b')).toEqual({ page: 'not-found', path: '/leads/a/b' });
    expect(parseRoute('#/admin')).toEqual({ page: 'not-found', path: '/admin' });
  });
});
