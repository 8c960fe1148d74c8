import { browser } from 'wxt/browser';
import type { LeadSummary } from '../../shared';
import { originPattern } from '../backend-origins';
import { ApiClient } from './api';
import { pushLeads } from './broadcast';
import { LeadCache } from './cache';
import { openLeadscoreDb } from './db';
import type { Services } from './handlers';
import { LookupService } from './lookups';
import { ModelStore } from './model';
import { TagQueue } from './queue';
import { createRouter } from './router';
import { SettingsStore } from './settings';

export const REPLAY_ALARM = 'leadscore-replay';

/**
 * Wires the background. Listeners are registered synchronously (an MV3 worker is woken by the
 * event it missed otherwise); the database opens lazily behind them.
 */
export function startBackground(): void {
  const db = openLeadscoreDb();
  const settings = new SettingsStore(db);
  const api = new ApiClient(() => settings.get());
  const cache = new LeadCache(db);
  const now = () => Date.now();
  const saved = async (lead: LeadSummary) => {
    const keys = await cache.writeLead(lead, now());
    await pushLeads(keys.map((key) => ({ key, lead })));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: TagQueue = new TagQueue(db, api, {
    onSaved: saved,
    schedule(at) {
      clearTimeout(timer);
      timer = setTimeout(() => void queue.flush(), Math.max(0, at - now()));
      // The worker may be stopped before the timer fires; the alarm wakes it again.
      void browser.alarms.create(REPLAY_ALARM, { when: at });
    },
  });
  const lookups = new LookupService(cache, api, {
    onRevalidated: (entries) => void pushLeads(entries),
    onReachable: () => void queue.flush(),
  });
  const services: Services = {
    settings,
    api,
    cache,
    lookups,
    queue,
    models: new ModelStore(db, api),
    saved,
    now,
    async openTagger(leadId) {
      const url = `${browser.runtime.getURL('/popup.html')}?lead=${encodeURIComponent(leadId)}`;
      await browser.windows.create({ url, type: 'popup', width: 400, height: 640 });
    },
    hasPermission: (url) => browser.permissions.contains({ origins: [originPattern(url)] }),
  };
  const route = createRouter(services, { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') });

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void route(message, sender).then(sendResponse);
    return true;
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REPLAY_ALARM) void queue.flush();
  });
  browser.runtime.onInstalled.addListener(() => void cache.prune(now()));
  void queue.flush();
}
