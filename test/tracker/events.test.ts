import { describe, expect, it } from 'vitest';
import { EventName } from '../../shared/schemas/event';
import { bootTracker, delivered, leadscore, settle, storedQueue, useCollector } from './support/harness';

const collector = useCollector('http://www.example.com/pricing?plan=pro');

describe('events', () => {
  it('stamps every event with an id, an ISO time, the visitor id and the page context', async () => {
    const tracker = await bootTracker(collector.current);
    document.title = 'Pricing';
    leadscore('track', 'Webinar Registered', { webinar: 'scoring-101' });
    const [page, track] = await delivered(tracker, collector.current, 2);
    expect(track).toMatchObject({
      type: 'track',
      event: EventName.webinarRegistered,
      properties: { webinar: 'scoring-101' },
      anonymousId: page!.anonymousId,
      context: { page: { url: 'http://www.example.com/pricing?plan=pro', path: '/pricing' } },
    });
    expect(Date.parse(track!.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(track!.messageId).not.toBe(page!.messageId);
    expect(localStorage.getItem('ls_a')).toBe(page!.anonymousId);
  });

  it('identify makes the email the userId and traits.email, and later events carry it', async () => {
    const tracker = await bootTracker(collector.current);
    leadscore('identify', 'ada@example.com', { name: 'Ada', plan: 'pro' });
    leadscore('track', 'Demo Requested');
    const [page, identify, track] = await delivered(tracker, collector.current, 3);
    expect(page!.userId).toBeUndefined();
    expect(identify).toMatchObject({
      type: 'identify',
      userId: 'ada@example.com',
      anonymousId: page!.anonymousId,
      traits: { email: 'ada@example.com', name: 'Ada', plan: 'pro' },
    });
    expect(track).toMatchObject({ userId: 'ada@example.com', anonymousId: page!.anonymousId });
  });

  it('ignores malformed calls instead of sending an event the backend would reject', async () => {
    await bootTracker(collector.current);
    leadscore('track');
    leadscore('track', '   ');
    leadscore('track', 42);
    leadscore('identify', '');
    leadscore('identify', { email: 'x@example.com' });
    leadscore('no-such-command', 'x');
    leadscore('track', 'Listed', ['not', 'an', 'object']);
    leadscore('track', 'Texted', 'not an object');
    const queued = storedQueue();
    expect(queued.map((e) => e.event ?? e.type)).toEqual(['page', 'Listed', 'Texted']);
    expect(queued[1]!.properties).toBeUndefined();
    expect(queued[2]!.properties).toBeUndefined();
    expect(localStorage.getItem('ls_u')).toBeNull();
  });

  it('never throws into the page, even for properties that cannot be serialized', async () => {
    await bootTracker(collector.current);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => leadscore('track', 'Circular', circular)).not.toThrow();
    expect(() => leadscore('identify', 'ada@example.com', circular)).not.toThrow();
    await settle();
    expect(storedQueue().map((e) => e.event ?? e.type)).toEqual(['page']);
  });
});
