import { browser } from 'wxt/browser';

/** The manifest grants these by default (the local backend of `npm start`); any other backend is asked for. */
const GRANTED_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Asks for host permission for a backend that is not local. Must run inside the click handler,
 * before any other await: browsers only show the prompt during a user gesture.
 */
export async function ensureBackendPermission(backendUrl: string): Promise<boolean> {
  const url = new URL(backendUrl);
  if (url.protocol === 'http:' && GRANTED_HOSTS.has(url.hostname)) return true;
  return browser.permissions.request({ origins: [`${url.protocol}//${url.hostname}/*`] });
}
