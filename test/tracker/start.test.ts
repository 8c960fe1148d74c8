import { describe, expect, it } from 'vitest';
import { EventName } from '../../shared/schemas/event';
import { bootTracker, delivered, leadscore, settle, storedQueue, useCollector } from './support/harness';

const collector = useCollector('http://www.example.com/');

/** The snippet the README tells site owners to paste before the script tag. */
function installQueueStub(): void {
  const w = window as unknown as { leadscore?: { (...args: unknown[]): void; q?: unknown[] } };
  w.leadscore =
    w.leadscore ||
    function (...args: unknown[]) {
      // The README's stub pushes `arguments`; an array of the same values is the same to the tracker.
      (w.leadscore!.q = w.leadscore!.q || []).push(args);
    };
}

describe('start and the leadscore() API', () => {
  it('replays calls made before the script loaded, in order, then replaces the stub', async () => {
    installQueueStub();
    leadscore('identify', 'ada@example.com', { company: 'Analytical Engines' });
    leadscore('track', EventName.demoRequested, { plan: 'pro' });
    const stub = window.leadscore;
    const tracker = await bootTracker(collector.current);
    expect(window.leadscore).not.toBe(stub);
    const events = await delivered(tracker, collector.current, 3);
    expect(events.map((e) => [e.type, e.event, e.userId])).toEqual([
      ['identify', undefined, 'ada@example.com'],
      ['track', EventName.demoRequested, 'ada@example.com'],
      ['page', undefined, 'ada@example.com'],
    ]);
    expect(events[1]!.context!.page!.url).toBe('http://www.example.com/');
  });

  it('a consent refusal queued before load stops even the first page view', async () => {
    installQueueStub();
    leadscore('consent', false);
    await bootTracker(collector.current);
    expect(storedQueue()).toEqual([]);
  });

  it('waits for the page to load before doing anything', async () => {
    const tracker = await (async () => {
      Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true });
      try {
        return await bootTracker(collector.current);
      } finally {
        delete (document as { readyState?: string }).readyState;
      }
    })();
    expect(window.leadscore).toBeUndefined();
    expect(storedQueue()).toEqual([]);
    window.dispatchEvent(new Event('load'));
    await settle();
    expect(typeof window.leadscore).toBe('function');
    await delivered(tracker, collector.current, 1);
  });

  it("reset forgets the visitor: later events come from a new anonymous id without the userId", async () => {
    await bootTracker(collector.current);
    leadscore('identify', 'ada@example.com');
    leadscore('reset');
    leadscore('track', 'After logout');
    const [page, identify, after] = storedQueue();
    expect(identify!.anonymousId).toBe(page!.anonymousId);
    expect(after!.anonymousId).not.toBe(page!.anonymousId);
    expect(after!.userId).toBeUndefined();
  });

  it('never throws into the page when storage is blocked', async () => {
    await bootTracker(collector.current);
    const blocked = Object.getOwnPropertyDescriptor(window, 'localStorage');
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    try {
      expect(() => leadscore('track', 'Blocked')).not.toThrow();
      expect(() => history.pushState({}, '', '/blocked')).not.toThrow();
      expect(location.pathname).toBe('/blocked');
      expect(() => window.dispatchEvent(new Event('pagehide'))).not.toThrow();
    } finally {
      if (blocked) Object.defineProperty(window, 'localStorage', blocked);
      else delete (window as { localStorage?: Storage }).localStorage;
    }
  });
});
