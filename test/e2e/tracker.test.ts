import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventName, type CollectBatch } from '../../shared/index';
import { runTs, spawnTs, waitForOutput } from '../backend/support/spawn';
import { hasChromium } from '../support/env';
import { freePort } from './support/backend-process';
import { launchChromium } from './support/chromium';

/**
 * The tracker as a site owner runs it: the real backend process (npm start) serving the real
 * /t.js, a customer site on its own origin, and Debian's Chromium driving it like a visitor.
 */

const EMAIL = 'ada@analytical.example';
const PASSWORD = 'correct-horse-battery';
// Headless Chromium names itself in the user agent and sets navigator.webdriver; the tracker
// (rightly) ignores such visitors, so the test browser presents itself as a person's Chrome.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

interface Backend {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

interface Event {
  message_id: string;
  type: string;
  name: string;
  anonymous_id: string | null;
  user_id: string | null;
  properties: string | null;
  context: string | null;
}

describe.runIf(hasChromium())('tracker in a real browser against the real backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-tracker-e2e-'));
  const db = join(dir, 'leadscore.db');
  let port: number;
  let backend: Backend;
  let siteKey: string;
  let repToken: string;
  let site: Server;
  let siteOrigin: string;
  let browser: Browser;
  /** The anonymous ids of the visitors the tests let through. */
  const visitors = new Set<string | null>();

  const startBackend = async (firstRun: boolean): Promise<{ backend: Backend; stdout: string }> => {
    const child = spawnTs('backend/src/main.ts', ['--port', String(port), '--host', '127.0.0.1', '--db', db], { LOG_LEVEL: 'info' });
    const stdout = await waitForOutput(child, (out) => (firstRun ? out.includes('API docs:') : out.includes('"msg":"listening"')));
    return { backend: { child, url: `http://127.0.0.1:${port}` }, stdout };
  };
  const stopBackend = (b: Backend) =>
    new Promise<void>((resolve) => {
      if (b.child.exitCode !== null) return resolve();
      b.child.once('exit', () => resolve());
      b.child.kill('SIGTERM');
    });

  /** Every event the backend stored for the demo site, read from its database. */
  const storedEvents = (): Event[] => {
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare('select message_id, type, name, anonymous_id, user_id, properties, context from events order by id').all() as Event[];
    } finally {
      sqlite.close();
    }
  };
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${backend.url}${path}`, { headers: { Authorization: `Bearer ${repToken}` } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const until = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 90_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  /** A browser context that looks like a person's browser and records every batch it sends. */
  const visitor = async (init?: () => void) => {
    const context: BrowserContext = await browser.newContext({ userAgent: USER_AGENT, acceptDownloads: true });
    if (init) await context.addInitScript(init);
    const batches: CollectBatch[] = [];
    context.on('request', (request) => {
      if (!request.url().endsWith('/collect')) return;
      const body = request.postData();
      if (body) batches.push(JSON.parse(body) as CollectBatch);
    });
    const page = await context.newPage();
    return { context, page, batches, sentIds: () => new Set(batches.flatMap((b) => b.batch.map((e) => e.messageId))) };
  };

  beforeAll(async () => {
    port = await freePort();
    const first = await startBackend(true);
    backend = first.backend;
    siteKey = /data-site="(pk_\w+)"/.exec(first.stdout)![1]!;
    repToken = /^\s+(ls_rep_\S+)$/m.exec(first.stdout)![1]!;

    site = createServer((req, res) => customerSite(req.url ?? '/', backend.url, siteKey, res));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const sitePort = (site.address() as AddressInfo).port;
    siteOrigin = `http://site.test:${sitePort}`;
    const added = await runTs('backend/src/cli.ts', ['site', 'add-origin', '--site', siteKey, '--origin', siteOrigin, '--db', db, '--json']);
    expect(added.code, added.stderr).toBe(0);

    browser = await launchChromium('MAP site.test 127.0.0.1, MAP elsewhere.test 127.0.0.1');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    if (backend) await stopBackend(backend);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a visit, identifies the lead on a form submit, and files its anonymous history under it', async () => {
    const { page, context } = await visitor();
    await page.goto(`${siteOrigin}/`);
    expect(await page.evaluate(() => navigator.webdriver)).toBe(false);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));

    // SPA navigation, then back (popstate); a second on /features gives it engaged time.
    await page.click('#features');
    await page.waitForURL('**/features');
    await page.waitForTimeout(1_300);
    await page.goBack();
    await page.waitForURL(`${siteOrigin}/`);

    const popup = context.waitForEvent('page');
    await page.click('#outbound');
    await (await popup).close();
    const download = page.waitForEvent('download');
    await page.click('#download');
    await download;

    await page.waitForTimeout(1_300);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/thanks'), page.click('#signup button')]);

    const leadId = await until('the lead', async () => {
      const { leads } = await api<{ leads: Record<string, { id: string } | null> }>(`/api/leads?email=${encodeURIComponent(EMAIL)}`);
      return leads[EMAIL]?.id;
    });
    type Timeline = { timeline: { events: { event: string; properties: Record<string, unknown> }[] } };
    const expected = [
      'Video Played',
      EventName.pageViewed,
      EventName.outboundClicked,
      EventName.fileDownloaded,
      EventName.engagedTime,
      'Identified',
      EventName.formSubmitted,
    ];
    const timeline = await until('the whole visit in the timeline', async () => {
      const detail = await api<Timeline>(`/api/leads/${leadId}?limit=200`);
      const names = detail.timeline.events.map((e) => e.event);
      const paths = detail.timeline.events.filter((e) => e.event === EventName.pageViewed).map((e) => e.properties.path);
      const engaged = names.filter((n) => n === EventName.engagedTime).length;
      return expected.every((n) => names.includes(n)) && paths.includes('/thanks') && engaged >= 2 ? detail.timeline.events : undefined;
    });

    const views = timeline.filter((e) => e.event === EventName.pageViewed).map((e) => e.properties.path);
    expect(views.sort()).toEqual(['/', '/', '/features', '/thanks']);
    expect(timeline.find((e) => e.event === 'Video Played')!.properties).toEqual({ video: 'intro' });
    expect(timeline.find((e) => e.event === EventName.outboundClicked)!.properties.url).toBe(`${siteOrigin.replace('site.test', 'elsewhere.test')}/partner`);
    expect(timeline.find((e) => e.event === EventName.fileDownloaded)!.properties.url).toBe(`${siteOrigin}/files/datasheet.pdf`);
    expect(timeline.find((e) => e.event === EventName.formSubmitted)!.properties.formId).toBe('signup');
    for (const e of timeline.filter((e) => e.event === EventName.engagedTime)) expect(e.properties.seconds).toBeGreaterThanOrEqual(1);

    // The anonymous page views from before the form belong to the lead; the password never left the page.
    const stored = storedEvents();
    const visitorIds = new Set(stored.map((e) => e.anonymous_id));
    expect(visitorIds.size).toBe(1);
    visitors.add(await page.evaluate(() => localStorage.getItem('ls_a')));
    expect(visitorIds).toEqual(visitors);
    expect(stored.filter((e) => e.user_id === null).length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    await context.close();
  });

  it('delivers every event exactly once after the backend was down, across a reload', async () => {
    const { page, context, sentIds } = await visitor();
    await page.goto(`${siteOrigin}/thanks`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await until('the page view', () => sentIds().size > 0 && storedEvents().some((e) => sentIds().has(e.message_id)));

    await stopBackend(backend);
    await page.click('#next');
    await page.waitForURL('**/thanks/next');
    await page.evaluate(() => window.leadscore!('track', 'Offline Event', { step: 1 }));
    // A delivery attempt fails (nothing listens), so the events wait in localStorage.
    await page.waitForTimeout(3_500);
    const waiting = await page.evaluate(() => JSON.parse(localStorage.getItem('ls_q') ?? '[]') as { event?: string; type: string }[]);
    expect(waiting.map((e) => e.event ?? e.type)).toEqual(expect.arrayContaining(['page', 'Offline Event']));

    await page.reload();
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await page.evaluate(() => window.leadscore!('track', 'Offline Event', { step: 2 }));
    // Everything not delivered is in the queue now, including what the reload's pagehide added.
    const undelivered = await page.evaluate(() => (JSON.parse(localStorage.getItem('ls_q') ?? '[]') as { messageId: string }[]).map((e) => e.messageId));
    expect(undelivered.length).toBeGreaterThanOrEqual(4);

    backend = (await startBackend(false)).backend;
    // Every event the page made: those it posted while the backend was up, and those it queued.
    const made = new Set([...sentIds(), ...undelivered]);
    await until('every event the page made', () => {
      const stored = new Set(storedEvents().map((e) => e.message_id));
      return [...made].every((id) => stored.has(id)) || undefined;
    });
    await page.waitForFunction(() => localStorage.getItem('ls_q') === null, undefined, { timeout: 60_000 });

    // This visitor's events (the previous test's closing tab may still have delivered a last one).
    const visitorId = await page.evaluate(() => localStorage.getItem('ls_a'));
    visitors.add(visitorId);
    const fresh = storedEvents().filter((e) => e.anonymous_id === visitorId);
    expect(new Set(fresh.map((e) => e.message_id))).toEqual(made);
    const offline = fresh.filter((e) => e.name === 'Offline Event').map((e) => JSON.parse(e.properties!).step);
    expect(offline.sort()).toEqual([1, 2]);
    const next = fresh.filter((e) => e.type === 'page' && JSON.parse(e.properties!).path === '/thanks/next');
    expect(next).toHaveLength(2);
    // The same ids were posted more than once (retries, the beacon and the next load), yet each is stored once.
    expect(storedEvents().length).toBe(new Set(storedEvents().map((e) => e.message_id)).size);
    await context.close();
  });

  it('delivers a backlog larger than a keepalive request may carry (64 KiB)', async () => {
    const { page, context } = await visitor();
    await page.goto(`${siteOrigin}/thanks`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await stopBackend(backend);
    await page.evaluate(() => {
      for (let i = 0; i < 30; i++) window.leadscore!('track', 'Big', { i, notes: 'x'.repeat(2_500) });
    });
    const queued = await page.evaluate(() => localStorage.getItem('ls_q')!.length);
    expect(queued).toBeGreaterThan(64 * 1024);
    await page.waitForTimeout(3_500);
    backend = (await startBackend(false)).backend;
    const visitorId = await page.evaluate(() => localStorage.getItem('ls_a'));
    visitors.add(visitorId);
    await until('all 30 big events', () => storedEvents().filter((e) => e.anonymous_id === visitorId && e.name === 'Big').length === 30 || undefined);
    await context.close();
  });

  it('with a bare data-hash, counts #/route changes (links, location.hash, back) as page views', async () => {
    const { page, context, sentIds } = await visitor();
    await page.goto(`${siteOrigin}/hash`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await page.click('#pricing');
    await page.evaluate(() => (location.hash = '#/careers'));
    await page.goBack();
    await page.waitForFunction(() => location.hash === '#/pricing');
    const visitorId = await page.evaluate(() => localStorage.getItem('ls_a'));
    visitors.add(visitorId);
    const paths = await until('four page views', () => {
      const views = storedEvents().filter((e) => e.anonymous_id === visitorId && e.type === 'page');
      return views.length >= 4 ? views.map((e) => JSON.parse(e.properties!).path) : undefined;
    }, 30_000);
    expect(paths).toEqual(['/hash', '/hash#/pricing', '/hash#/careers', '/hash#/pricing']);
    expect(sentIds().size).toBeGreaterThan(0);
    await context.close();
  });

  it('the /demo site reports to the demo site: a PDF, an outbound link, a webinar registration', async () => {
    const { page, context } = await visitor();
    await page.goto(`${backend.url}/demo/`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    const download = page.waitForEvent('download').catch(() => undefined);
    await page.click('a[href$=".pdf"]', { modifiers: ['Alt'] }); // Alt-click: save the PDF rather than open it
    await download;
    await page.goto(`${backend.url}/demo/webinar`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await page.fill('input[name=name]', 'Grace');
    await page.fill('input[type=email]', 'grace@navy.example');
    await page.click('button');
    await page.waitForSelector('#registered:not([hidden])');
    visitors.add(await page.evaluate(() => localStorage.getItem('ls_a')));

    const leadId = await until('the demo lead', async () => {
      const { leads } = await api<{ leads: Record<string, { id: string } | null> }>('/api/leads?email=grace%40navy.example');
      return leads['grace@navy.example']?.id;
    });
    const names = await until('the registration in the timeline', async () => {
      const detail = await api<{ timeline: { events: { event: string }[] } }>(`/api/leads/${leadId}?limit=200`);
      const all = detail.timeline.events.map((e) => e.event);
      return all.includes(EventName.webinarRegistered) && all.includes(EventName.fileDownloaded) ? all : undefined;
    });
    expect(names).toEqual(expect.arrayContaining([EventName.pageViewed, EventName.fileDownloaded, 'Identified', EventName.formSubmitted, EventName.webinarRegistered]));
    await context.close();
  });

  it('sends nothing at all when the visitor has Global Privacy Control on', async () => {
    const { page, context, batches } = await visitor(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
    });
    await page.goto(`${siteOrigin}/`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await page.click('#features');
    await page.fill('#email', 'gpc@analytical.example');
    await Promise.all([page.waitForURL('**/thanks'), page.click('#signup button')]);
    await page.waitForTimeout(4_000);
    await page.close({ runBeforeUnload: true });
    await new Promise((r) => setTimeout(r, 1_000));

    expect(batches).toEqual([]);
    // Only the earlier visitors' events are stored (a closing tab of theirs may still deliver late).
    expect(new Set(storedEvents().map((e) => e.anonymous_id))).toEqual(visitors);
    const { leads } = await api<{ leads: Record<string, unknown> }>('/api/leads?email=gpc%40analytical.example');
    expect(leads['gpc@analytical.example']).toBeNull();
    await context.close();
  });
});

/**
 * A customer's site on its own origin: the README's snippet in every page (queue stub, a call
 * made before the script loads, the script tag), a small SPA router, and a sign-up form that
 * posts to /thanks like a classic multi-page site.
 */
function customerSite(url: string, backendUrl: string, siteKey: string, res: import('node:http').ServerResponse): void {
  const path = url.split('?')[0]!;
  if (path === '/files/datasheet.pdf') {
    res.writeHead(200, { 'Content-Type': 'application/pdf' }).end('%PDF-1.4\n%%EOF\n');
    return;
  }
  if (path === '/partner') {
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Partner</title><p>Another site.');
    return;
  }
  const head = (title: string, early = '', options = '') => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script>window.leadscore=window.leadscore||function(){(leadscore.q=leadscore.q||[]).push(arguments)}</script>
<script>${early}</script>
<script defer src="${backendUrl}/t.js" data-site="${siteKey}"${options}></script>
<script>
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-spa]');
    if (!link) return;
    event.preventDefault();
    history.pushState({}, '', link.getAttribute('href'));
  });
</script></head>`;
  const html = path === '/hash'
    ? `${head('Hash router', '', ' data-hash')}<body><a id="pricing" href="#/pricing">Pricing</a><a id="careers" href="#/careers">Careers</a></body></html>`
    : path.startsWith('/thanks')
    ? `${head('Thanks')}<body><h1>Thanks!</h1><a id="next" data-spa href="/thanks/next">Next steps</a></body></html>`
    : `${head('Acme', "leadscore('track', 'Video Played', { video: 'intro' });")}<body>
<h1>Acme</h1>
<a id="features" data-spa href="/features">Features</a>
<a id="outbound" target="_blank" href="${`http://elsewhere.test:${(res.socket?.localPort ?? 0)}`}/partner">Partner</a>
<a id="download" download href="/files/datasheet.pdf">Datasheet</a>
<form id="signup" method="post" action="/thanks">
  <input id="email" type="email" name="email">
  <input id="password" type="password" name="password">
  <button>Sign up</button>
</form></body></html>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
}
