import { captures, hashRouting } from './config';
import { reportEngaged } from './engagement';
import { context, plain, send } from './events';
import { listen, safe } from './listen';

/** The URL of the last page view: the same URL is never counted twice in a row. */
let lastUrl = '';

/** The #fragment, part of the page only with hash routing. */
const route = (): string => (hashRouting() ? location.hash : '');

/** At most `max` UTF-16 units, never ending in half a surrogate pair (the backend refuses those). */
const cut = (text: string, max: number): string => text.slice(0, max).replace(/[\ud800-\udbff]$/, '');

/** The page's URL (cut to the backend's 2,048 characters). */
const currentUrl = (): string => (location.href.split('#')[0] + route()).slice(0, 2048);

/** Points events at the current location (without counting a view) and returns the page. */
export const updateContext = () => {
  const page = {
    url: currentUrl(),
    path: location.pathname + route(),
    // After an SPA navigation the referrer is the previous page, as a multi-page site's would be.
    referrer: lastUrl || document.referrer,
    title: cut(document.title, 500),
  };
  // The campaign: utm_* parameters without the prefix (utm_source -> source).
  const campaign: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(location.search)) {
    if (/^utm_/.test(key)) campaign[key.slice(4)] = cut(value, 500);
  }
  context.page = page;
  context.campaign = campaign;
  return page;
};

/** Records a page view unless this URL was the last one counted. */
export const page = (properties?: unknown): void => {
  if (currentUrl() == lastUrl) return;
  // An SPA navigation leaves a page: its engaged time goes out before the context changes.
  if (lastUrl) reportEngaged();
  const current = updateContext();
  lastUrl = current.url;
  send('page', { properties: { ...current, ...plain(properties) } });
};

/** A view of the same URL that still counts (bfcache restore, consent just given). */
export const pageAgain = (): void => {
  lastUrl = '';
  if (captures('pageviews')) page();
};

/** SPA navigations: history.pushState/replaceState, back/forward, and hash changes. */
export const watchNavigation = (): void => {
  // map (its result unused) rather than for...of: an expression, so this function can be inlined.
  (['pushState', 'replaceState'] as const).map((method) => {
    const original = history[method];
    // Both return undefined, so the wrapper need not pass a result on; an arrow bound to
    // `history` is smaller than a function forwarding `this`.
    history[method] = (...args) => {
      original.apply(history, args);
      safePage();
    };
  });
  // The listeners pass their event as `properties`, which page() ignores (not a plain object).
  // popstate also fires for #fragment changes, so hash routers need no hashchange listener.
  listen('popstate', page);
};

const safePage = safe(page);
