import { isSiteUrl } from '../sites';

export type Trust = 'page' | 'content';

export interface SenderLike {
  id?: string;
  url?: string;
  tab?: unknown;
}

/**
 * Who sent a message: one of the extension's own pages (popup, options), one of its content
 * scripts on a site it runs on, or nobody we talk to. Another extension has a different id; a
 * content script on any other origin (which would mean a compromised or foreign script) is refused.
 */
export function trustOf(sender: SenderLike, extensionId: string, extensionBaseUrl: string): Trust | null {
  if (!sender.id || sender.id !== extensionId) return null;
  // extensionBaseUrl is runtime.getURL('/'), e.g. "chrome-extension://<id>/": with the trailing
  // slash a prefix check cannot be fooled by a look-alike host.
  if (sender.url?.startsWith(extensionBaseUrl)) return 'page';
  if (sender.tab && isSiteUrl(sender.url)) return 'content';
  return null;
}
