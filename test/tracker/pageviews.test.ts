import { describe, expect, it } from 'vitest';
import { isStorableText } from '../../shared/schemas/text';
import { bootTracker, delivered, leadscore, storedQueue, useCollector } from './support/harness';

const collector = useCollector('http://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=spring&ref=x');

const views = () => storedQueue().filter((e) => e.type === 'page');
const urls = () => views().map((e) => e.properties!.url);

describe('page views', () => {
  it('records the first view with url, path, title, referrer and the UTM campaign', async () => {
    document.title = 'Acme';
    const tracker = await bootTracker(collector.current);
    const [view] = await delivered(tracker, collector.current, 1);
    const page = {
      url: 'http://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=spring&ref=x',
      path: '/',
      referrer: document.referrer,
      title: 'Acme',
    };
    expect(view).toMatchObject({ type: 'page', properties: page, context: { page } });
    expect(view!.context!.campaign).toEqual({ source: 'newsletter', medium: 'email', campaign: 'spring' });
  });

  it('counts SPA navigations through pushState and replaceState, never the same URL twice in a row', async () => {
    await bootTracker(collector.current);
    history.pushState({}, '', '/pricing');
    history.pushState({ tab: 2 }, '', '/pricing');
    history.replaceState({}, '', '/pricing');
    history.replaceState({}, '', '/careers');
    history.pushState({}, '', '/pricing#faq');
    expect(urls()).toEqual([
      expect.stringContaining('utm_source'),
      'http://www.example.com/pricing',
      'http://www.example.com/careers',
      'http://www.example.com/pricing',
    ]);
    const [, pricing, careers] = views();
    // After an SPA navigation the referrer is the page left behind, and UTM parameters of the landing page no longer apply.
    expect(careers!.properties!.referrer).toBe('http://www.example.com/pricing');
    expect(pricing!.context!.campaign).toEqual({});
  });

  it('counts back/forward navigations (popstate)', async () => {
    await bootTracker(collector.current);
    history.pushState({}, '', '/a');
    history.pushState({}, '', '/b');
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('http://www.example.com/a');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(urls().slice(1)).toEqual(['http://www.example.com/a', 'http://www.example.com/b', 'http://www.example.com/a']);
  });

  it('treats #fragments as the same page unless hash routing is on', async () => {
    await bootTracker(collector.current);
    history.pushState({}, '', '/');
    history.pushState({}, '', '/#/pricing');
    history.pushState({}, '', '/#/careers');
    expect(urls().slice(1)).toEqual(['http://www.example.com/']);
  });

  it('with data-hash, counts #/routes as pages and keeps the route in the path', async () => {
    // A bare data-hash works in browsers; happy-dom leaves empty data-* values out of {...dataset}.
    await bootTracker(collector.current, { hash: 'true' });
    history.pushState({}, '', '/#/pricing');
    history.pushState({}, '', '/#/careers');
    expect(views().slice(1).map((e) => e.properties!.path)).toEqual(['/#/pricing', '/#/careers']);
  });

  it('counts a page restored from the back/forward cache again', async () => {
    await bootTracker(collector.current);
    window.dispatchEvent(pageshow(false));
    expect(views()).toHaveLength(1);
    window.dispatchEvent(pageshow(true));
    expect(views()).toHaveLength(2);
  });

  it("leadscore('page') records a view with extra properties, but not twice for the same URL", async () => {
    await bootTracker(collector.current, { 'no-capture': 'pageviews' });
    history.pushState({}, '', '/docs');
    expect(views()).toHaveLength(0);
    leadscore('page', { section: 'docs' });
    leadscore('page');
    expect(views()).toHaveLength(1);
    expect(views()[0]!.properties).toMatchObject({ path: '/docs', section: 'docs' });
  });

  it('keeps a page view valid for the backend when the URL or title is huge', async () => {
    const tracker = await bootTracker(collector.current);
    document.title = 'T'.repeat(900);
    history.pushState({}, '', '/search?q=' + 'x'.repeat(5_000));
    const [, view] = await delivered(tracker, collector.current, 2);
    expect(view!.properties!.url).toHaveLength(2_048);
    expect(view!.properties!.title).toHaveLength(500);
  });

  it('never cuts a title or UTM value inside a surrogate pair (the backend refuses half a pair)', async () => {
    const tracker = await bootTracker(collector.current);
    document.title = `${'T'.repeat(499)}😀😀`;
    history.pushState({}, '', `/?utm_source=${encodeURIComponent(`${'s'.repeat(499)}😀`)}`);
    const [, view] = await delivered(tracker, collector.current, 2);
    expect(view!.properties!.title).toBe('T'.repeat(499));
    expect(view!.context!.campaign).toEqual({ source: 's'.repeat(499) });
    expect(isStorableText(JSON.stringify(view))).toBe(true);
  });
});

/** happy-dom's PageTransitionEvent ignores `persisted` in its init dictionary. */
function pageshow(persisted: boolean): Event {
  return Object.defineProperty(new Event('pageshow'), 'persisted', { value: persisted });
}
