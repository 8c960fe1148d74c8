import type { LeadSummary } from '../../../shared';
import { ApiClient } from '../../../extension/background/api';
import { LeadCache } from '../../../extension/background/cache';
import { openLeadscoreDb } from '../../../extension/background/db';
import type { Services } from '../../../extension/background/handlers';
import { LookupService } from '../../../extension/background/lookups';
import { ModelStore } from '../../../extension/background/model';
import { TagQueue } from '../../../extension/background/queue';
import { createRouter } from '../../../extension/background/router';
import { SettingsStore } from '../../../extension/background/settings';

let count = 0;
export const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const EXTENSION_BASE = `chrome-extension://${EXTENSION_ID}/`;

/** The background's real services on a fresh IndexedDB; only the browser-facing hooks are recorded. */
export function backgroundServices(options: { permitted?: boolean } = {}) {
  const db = openLeadscoreDb(`services-${count++}`);
  const settings = new SettingsStore(db);
  const api = new ApiClient(() => settings.get());
  const cache = new LeadCache(db);
  const pushed: LeadSummary[] = [];
  const opened: string[] = [];
  const saved = async (lead: LeadSummary) => {
    await cache.writeLead(lead, Date.now());
    pushed.push(lead);
  };
  const queue = new TagQueue(db, api, { onSaved: saved, schedule: () => {} });
  const services: Services = {
    settings,
    api,
    cache,
    lookups: new LookupService(cache, api, { batchWindowMs: 1 }),
    queue,
    models: new ModelStore(db, api),
    saved,
    now: Date.now,
    openTagger: async (id) => void opened.push(id),
    hasPermission: async () => options.permitted ?? true,
  };
  const route = createRouter(services, { id: EXTENSION_ID, baseUrl: EXTENSION_BASE });
  return { services, route, pushed, opened };
}

export const senders = {
  popup: { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` },
  options: { id: EXTENSION_ID, url: `${EXTENSION_BASE}options.html` },
  gmail: { id: EXTENSION_ID, url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 } },
  linkedin: { id: EXTENSION_ID, url: 'https://www.linkedin.com/in/jane-doe/', tab: { id: 8 } },
};
