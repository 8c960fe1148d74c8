import { browser } from 'wxt/browser';
import { LOCAL_BACKEND_MATCHES, originPattern } from '../backend-origins';

/**
 * Asks for host permission for a backend that is not local. Must run inside the click handler,
 * before any other await: browsers only show the prompt during a user gesture.
 */
export async function ensureBackendPermission(backendUrl: string): Promise<boolean> {
  const pattern = originPattern(backendUrl);
  if (LOCAL_BACKEND_MATCHES.includes(pattern)) return true;
  return browser.permissions.request({ origins: [pattern] });
}
