import { describe, expect, it } from 'vitest';
import { bootTracker, delivered, leadscore, resetPage, settle, storedQueue, useCollector } from './support/harness';

const collector = useCollector();

const nothingStoredOrSent = async () => {
  await settle(50);
  expect(Object.keys(localStorage).filter((k) => k !== 'ls_c')).toEqual([]);
  expect(collector.current.requests).toEqual([]);
};

describe('manners', () => {
  it('honours Global Privacy Control: nothing stored, nothing sent', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    const tracker = await bootTracker(collector.current);
    leadscore('track', 'Webinar Registered');
    leadscore('identify', 'ada@example.com');
    tracker.queue.flush();
    await nothingStoredOrSent();
  });

  it('honours Do Not Track', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const tracker = await bootTracker(collector.current);
    leadscore('track', 'Webinar Registered');
    tracker.queue.flush();
    await nothingStoredOrSent();
  });

  it('records despite DNT and GPC when the site sets data-respect-dnt="false"', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    const tracker = await bootTracker(collector.current, { 'respect-dnt': 'false' });
    await delivered(tracker, collector.current, 1);
  });

  it('skips automation and crawlers', async () => {
    Object.defineProperty(navigator, 'webdriver', { value: true, configurable: true });
    await bootTracker(collector.current);
    expect(window.leadscore).toBeUndefined();
    await nothingStoredOrSent();

    resetPage();
    Object.defineProperty(navigator, 'userAgent', { value: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', configurable: true });
    await bootTracker(collector.current);
    resetPage();
    Object.defineProperty(navigator, 'userAgent', { value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36', configurable: true });
    await bootTracker(collector.current);
    delete (navigator as { userAgent?: string }).userAgent;
    await nothingStoredOrSent();
  });

  it('skips localhost, 127.* and file: pages unless data-localhost is set', async () => {
    for (const url of ['http://localhost:3000/', 'http://127.0.0.1:8080/x']) {
      resetPage(url);
      await bootTracker(collector.current);
      expect(window.leadscore).toBeUndefined();
    }
    await nothingStoredOrSent();

    resetPage('http://localhost:3000/');
    const tracker = await bootTracker(collector.current, { localhost: 'true' });
    await delivered(tracker, collector.current, 1);
  });
});

describe('consent', () => {
  it("with data-consent=\"required\", records nothing until leadscore('consent', true), then the current page", async () => {
    const tracker = await bootTracker(collector.current, { consent: 'required' });
    leadscore('track', 'Before consent');
    expect(storedQueue()).toEqual([]);
    expect(localStorage.getItem('ls_a')).toBeNull();

    leadscore('consent', true);
    leadscore('track', 'After consent');
    const events = await delivered(tracker, collector.current, 2);
    expect(events.map((e) => e.event ?? e.type)).toEqual(['page', 'After consent']);
    expect(localStorage.getItem('ls_c')).toBe('1');
  });

  it('consent given overrides DNT/GPC; withdrawn, it erases the visitor and the queue and stops recording', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    await bootTracker(collector.current);
    leadscore('consent', true);
    leadscore('identify', 'ada@example.com');
    expect(storedQueue().map((e) => e.type)).toEqual(['page', 'identify']);

    leadscore('consent', false);
    expect({ ...localStorage }).toEqual({ ls_c: '0' });
    leadscore('track', 'After withdrawal');
    history.pushState({}, '', '/next');
    expect({ ...localStorage }).toEqual({ ls_c: '0' });
    await settle(50);
    expect(collector.current.requests).toEqual([]);
  });

  it('a refusal holds on the next page load', async () => {
    await bootTracker(collector.current);
    leadscore('consent', false);
    await bootTracker(collector.current);
    leadscore('track', 'Next page');
    expect(storedQueue()).toEqual([]);
  });
});
