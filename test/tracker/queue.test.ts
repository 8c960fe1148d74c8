import { describe, expect, it } from 'vitest';
import { bootTracker, hidePage, resetPage, settle, storedQueue, useCollector } from './support/harness';

const collector = useCollector();


const track = (name: string, properties?: object) => window.leadscore!('track', name, properties);

describe('delivery', () => {
  it('sends events in one text/plain batch to the API origin, with the site key and unique ids', async () => {
    const { queue } = await bootTracker(collector.current, { site: 'site_abc' });
    track('One');
    track('Two');
    queue.flush();
    const events = await collector.current.waitForEvents(3);
    expect(collector.current.requests).toHaveLength(1);
    expect(collector.current.requests[0]!.contentType).toMatch(/^text\/plain/);
    expect(collector.current.accepted[0]!.siteKey).toBe('site_abc');
    expect(events.map((e) => e.event ?? e.type)).toEqual(['page', 'One', 'Two']);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(3);
    expect(new Set(events.map((e) => e.anonymousId)).size).toBe(1);
    await settle(20);
    expect(storedQueue()).toEqual([]);
  });

  it('sends at most once per interval (3 s) on its own', async () => {
    await bootTracker(collector.current);
    track('Soon');
    await settle(1_000);
    expect(collector.current.requests).toHaveLength(0);
    await collector.current.waitForEvents(2, 4_000);
    expect(collector.current.requests).toHaveLength(1);
  }, 10_000);

  it('keeps undelivered events in localStorage and delivers them after the backend recovers', async () => {
    collector.current.status = 503;
    const { queue } = await bootTracker(collector.current);
    track('While down');
    await queue.flush();
    expect(collector.current.requests).toHaveLength(1);
    expect(collector.current.accepted).toHaveLength(0);
    expect(storedQueue().map((e) => e.event ?? e.type)).toEqual(['page', 'While down']);

    collector.current.status = 200;
    queue.flush();
    const events = await collector.current.waitForEvents(2);
    expect(events.map((e) => e.event ?? e.type)).toEqual(['page', 'While down']);
    await settle(20);
    expect(storedQueue()).toEqual([]);
  });

  it('retries with backoff after a failure, without being asked', async () => {
    collector.current.status = 503;
    const { queue } = await bootTracker(collector.current);
    await queue.flush();
    collector.current.status = 200;
    // The first retry comes 6 s after the failure (3 s doubled).
    await settle(4_000);
    expect(collector.current.accepted).toHaveLength(0);
    await collector.current.waitForEvents(1, 4_000);
  }, 15_000);

  it('delivers on the next page load what the previous page could not', async () => {
    collector.current.status = 503;
    const first = await bootTracker(collector.current);
    track('Before reload');
    await first.queue.flush();
    const ids = storedQueue().map((e) => e.messageId);
    expect(ids).toHaveLength(2);

    collector.current.status = 200;
    // A new page: a new tracker instance over the same localStorage.
    resetPageKeepingStorage();
    const second = await bootTracker(collector.current);
    second.queue.flush();
    const events = await collector.current.waitForEvents(3);
    expect(events.map((e) => e.messageId).slice(0, 2)).toEqual(ids);
  });

  it('drops a batch the backend rejects for good (4xx other than 429), so one bad batch cannot block the queue', async () => {
    collector.current.status = 422;
    const { queue } = await bootTracker(collector.current);
    await queue.flush();
    expect(storedQueue()).toEqual([]);
  });

  it('keeps a batch answered 429 (rate limited) for a retry', async () => {
    collector.current.status = 429;
    const { queue } = await bootTracker(collector.current);
    await queue.flush();
    expect(storedQueue()).toHaveLength(1);
  });

  it('bounds the stored queue to the newest 40 events', async () => {
    collector.current.status = 503;
    await bootTracker(collector.current);
    for (let i = 0; i < 60; i++) track(`E${i}`);
    const queued = storedQueue();
    expect(queued).toHaveLength(40);
    expect(queued.at(-1)!.event).toBe('E59');
    expect(queued[0]!.event).toBe('E20');
  });

  it('sends one request at a time', async () => {
    const { queue } = await bootTracker(collector.current);
    queue.flush();
    track('During');
    queue.flush();
    await collector.current.waitForEvents(1);
    await settle(50);
    expect(collector.current.requests).toHaveLength(1);
    queue.flush();
    await collector.current.waitForEvents(2);
    expect(collector.current.events().map((e) => e.event ?? e.type)).toEqual(['page', 'During']);
  });

  it('flushes with fetch keepalive when the page is hidden, and with sendBeacon on pagehide', async () => {
    await bootTracker(collector.current);
    track('Before hide');
    hidePage();
    await collector.current.waitForEvents(2);
    await settle(20);
    expect(storedQueue()).toEqual([]);

    const beacons: string[] = [];
    const realBeacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
      beacons.push(String(data));
      return realBeacon(url, data);
    };
    try {
      track('Before leaving');
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      expect(beacons).toHaveLength(1);
      expect(JSON.parse(beacons[0]!).batch.map((e: { event: string }) => e.event)).toEqual(['Before leaving']);
      await collector.current.waitForEvents(3);
      // A beacon's answer cannot be read: the event stays queued for the next page load (the backend dedupes).
      expect(storedQueue().map((e) => e.event)).toEqual(['Before leaving']);
    } finally {
      navigator.sendBeacon = realBeacon;
    }
  });
});

/** Like resetPage, but as a reload: the same localStorage. */
function resetPageKeepingStorage(): void {
  const saved = { ...localStorage };
  resetPage();
  for (const [key, value] of Object.entries(saved)) localStorage.setItem(key, value as string);
}
