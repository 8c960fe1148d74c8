import { browser } from 'wxt/browser';
import type { PeopleAnswer, PeopleRequest } from '../protocol';
import { isSiteUrl } from '../sites';

/**
 * The tab the popup is about: the active tab, or `?tab=<id>` when the popup page was opened
 * in a tab of its own (the tests do that). Returns the people its content script found.
 */
export async function peopleOnCurrentTab(search: URLSearchParams): Promise<PeopleAnswer | null> {
  const explicit = Number(search.get('tab'));
  const tab = explicit ? await browser.tabs.get(explicit) : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  if (tab?.id === undefined || !isSiteUrl(tab.url)) return null;
  try {
    return ((await browser.tabs.sendMessage(tab.id, { type: 'people' } satisfies PeopleRequest)) as PeopleAnswer | undefined) ?? null;
  } catch {
    // No content script there yet (the tab was open before the extension was installed).
    return null;
  }
}
