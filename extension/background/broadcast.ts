import { browser } from 'wxt/browser';
import type { LeadSummary } from '../../shared';
import type { LeadKey } from '../keys';
import type { LeadsChanged } from '../protocol';
import { SITE_MATCHES } from '../sites';

/** Tells every open mail/LinkedIn tab that these keys changed, so their badges update in place. */
export async function pushLeads(entries: { key: LeadKey; lead: LeadSummary | null }[]): Promise<void> {
  if (!entries.length) return;
  const message: LeadsChanged = { type: 'leads.changed', entries };
  const tabs = await browser.tabs.query({ url: SITE_MATCHES });
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, message).catch(() => undefined))));
}
