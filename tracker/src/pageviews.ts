import { captures, hashRouting } from './config';
import { reportEngaged } from './engagement';
import { context, plain, send } from './events';
import { listen, safe } from './listen';

/** The URL of the last page view: the same URL is never counted twice in a row. */
let lastUrl = '';

/** utm_* parameters without the prefix (utm_source -> source). */
export const campaignFrom = (search: string): Record<string, string> => {
  const found: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (/^utm_/.test(key)) found[key.slice(4)] = value.slice(0, 500);
  }
  return found;
};

/** The page's URL (cut to the backend's 2,048 characters), without the #fragment unless hash routing. */
const currentUrl = (): string => (hashRouting() ? location.href : location.href.split('#')[0]!).slice(0, 2048);

/** Points events at the current location (without counting a view) and returns the page. */
export const updateContext = () => {
  const page = {
    url: currentUrl(),
    path: location.pathname + (hashRouting() ? location.hash : ''),
    // After an SPA navigation the referrer is the previous page, as a multi-page site's would be.
    referrer: lastUrl || document.referrer,
    title: document.title.slice(0, 500),
  };
  context.page = page;
  context.campaign = campaignFrom(location.search);
  return page;
};

/** Records a page view unless this URL was the last one counted. */
export const page = (properties?: unknown): void => {
  const url = currentUrl();
  if (url == lastUrl) return;
  // An SPA navigation leaves a page: its engaged time goes out before the context changes.
  if (lastUrl) reportEngaged();
  const current = updateContext();
  lastUrl = url;
  send('page', { properties: { ...current, ...plain(properties) } });
};

/** A view of the same URL that still counts (bfcache restore, consent just given). */
export const pageAgain = (): void => {
  lastUrl = '';
  if (captures('pageviews')) page();
};

/** SPA navigations: history.pushState/replaceState, back/forward, and hash changes. */
export const watchNavigation = (): void => {
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    // Both return undefined, so the wrapper need not pass a result on.
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      safePage();
    };
  }
  // The listeners pass their event as `properties`, which page() ignores (not a plain object).
  // popstate also fires for #fragment changes, so hash routers need no hashchange listener.
  listen('popstate', page);
};

const safePage = safe(page);
