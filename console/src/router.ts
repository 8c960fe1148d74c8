import { signal } from '@preact/signals';

/** The console's pages; the hash holds the page and its view state, so links and reloads keep both. */
export type Route =
  | { page: 'leads'; params: URLSearchParams }
  | { page: 'lead'; id: string }
  | { page: 'accounts'; params: URLSearchParams }
  | { page: 'account'; id: string }
  | { page: 'settings' }
  | { page: 'evidence' }
  | { page: 'model' }
  | { page: 'import' }
  | { page: 'not-found'; path: string };

/** The route a location hash names ("#/leads?tier=Hot", "#/leads/ld_1", "#/accounts/ac_1"); the leads table by default. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'leads')) return { page: 'leads', params: new URLSearchParams(query) };
  if (parts.length === 2 && parts[0] === 'leads') return { page: 'lead', id: decodeURIComponent(parts[1]!) };
  if (parts.length === 1 && parts[0] === 'accounts') return { page: 'accounts', params: new URLSearchParams(query) };
  if (parts.length === 2 && parts[0] === 'accounts') return { page: 'account', id: decodeURIComponent(parts[1]!) };
  if (parts.length === 1 && parts[0] === 'settings') return { page: 'settings' };
  if (parts.length === 1 && parts[0] === 'evidence') return { page: 'evidence' };
  if (parts.length === 1 && parts[0] === 'model') return { page: 'model' };
  if (parts.length === 1 && parts[0] === 'import') return { page: 'import' };
  return { page: 'not-found', path };
}

export const leadHref = (id: string) => `#/leads/${encodeURIComponent(id)}`;
export const accountHref = (id: string) => `#/accounts/${encodeURIComponent(id)}`;

export const route = signal<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash));

export function startRouter(): void {
  addEventListener('hashchange', () => (route.value = parseRoute(location.hash)));
}

export function navigate(hash: string): void {
  if (location.hash === hash) route.value = parseRoute(hash);
  else location.hash = hash;
}
