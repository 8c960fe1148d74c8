/** How often the address is compared when no event announces a change (see below). */
export const URL_POLL_MS = 500;

/**
 * Calls `onChange` when the page's address changes without a reload. Single-page apps change it
 * with history.pushState/replaceState, which fire no event a content script can hear, and on
 * back/forward may not touch the DOM at all (LinkedIn keeps the previous profile's DOM), so the
 * DOM observer alone misses them. Events where they exist (popstate and hashchange everywhere;
 * the Navigation API's currententrychange, which also covers pushState, in Chromium), and a
 * cheap comparison of location.href every half second for the rest (Firefox without the
 * Navigation API): one string comparison, no DOM work unless the address changed.
 */
export function watchUrl(view: Window, onChange: () => void): () => void {
  let last = view.location.href;
  const check = () => {
    const now = view.location.href;
    if (now === last) return;
    last = now;
    onChange();
  };
  const navigation = (view as Window & { navigation?: EventTarget }).navigation;
  view.addEventListener('popstate', check);
  view.addEventListener('hashchange', check);
  navigation?.addEventListener('currententrychange', check);
  const timer = view.setInterval(check, URL_POLL_MS);
  return () => {
    view.removeEventListener('popstate', check);
    view.removeEventListener('hashchange', check);
    navigation?.removeEventListener('currententrychange', check);
    view.clearInterval(timer);
  };
}
