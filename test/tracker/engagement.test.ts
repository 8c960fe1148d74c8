import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventName } from '../../shared/schemas/event';
import { bootTracker, hidePage, showPage, storedQueue, useCollector } from './support/harness';

// The collector is live so happy-dom's sendBeacon (a fetch nobody awaits) has somewhere to post.
const collector = useCollector('http://www.example.com/pricing');

const engaged = () => storedQueue().filter((e) => e.event === EventName.engagedTime);
const elapse = (ms: number) => vi.setSystemTime(Date.now() + ms);

/** The window losing or regaining focus (another window, the address bar, devtools...). */
function setFocus(focused: boolean): void {
  vi.spyOn(document, 'hasFocus').mockReturnValue(focused);
  window.dispatchEvent(new FocusEvent(focused ? 'focus' : 'blur'));
}

beforeEach(() => {
  // Only the clock is faked: network and timers stay real.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-02T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('engaged time', () => {
  it('counts the time the page is visible and focused, and sends it when the page is hidden', async () => {
    await bootTracker(collector.current);
    elapse(12_400);
    hidePage();
    expect(engaged()).toMatchObject([{ type: 'track', properties: { seconds: 12 }, context: { page: { path: '/pricing' } } }]);
  });

  it('does not count time hidden or unfocused', async () => {
    await bootTracker(collector.current);
    elapse(5_000);
    setFocus(false);
    elapse(100_000);
    setFocus(true);
    elapse(3_000);
    hidePage();
    elapse(60_000);
    showPage();
    elapse(2_000);
    hidePage();
    expect(engaged().map((e) => e.properties!.seconds)).toEqual([8, 2]);
  });

  it('sends the time of the page left on an SPA navigation, attributed to that page', async () => {
    await bootTracker(collector.current);
    elapse(4_000);
    history.pushState({}, '', '/careers');
    const [, time, view] = storedQueue();
    expect(time).toMatchObject({ event: EventName.engagedTime, properties: { seconds: 4 }, context: { page: { path: '/pricing' } } });
    expect(view).toMatchObject({ type: 'page', properties: { path: '/careers' } });
  });

  it('sends it on pagehide too, and nothing under a second', async () => {
    await bootTracker(collector.current);
    elapse(600);
    hidePage();
    expect(engaged()).toEqual([]);
    showPage();
    elapse(7_000);
    window.dispatchEvent(new Event('pagehide'));
    expect(engaged().map((e) => e.properties!.seconds)).toEqual([7]);
  });

  it('is off with data-no-capture="engagement"', async () => {
    await bootTracker(collector.current, { 'no-capture': 'engagement' });
    elapse(30_000);
    hidePage();
    expect(engaged()).toEqual([]);
  });
});
