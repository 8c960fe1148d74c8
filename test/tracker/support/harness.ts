import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { CollectBatch, type TrackedEvent } from '../../../shared/schemas/event';

/**
 * A real HTTP collector on a random port: it answers POST /collect like the backend would (CORS,
 * a configurable status) and validates every body against the shared CollectBatch schema.
 */
export interface Collector {
  origin: string;
  /** Status of the next answers; 200 accepts. */
  status: number;
  /** Batches answered 2xx, parsed by the schema. */
  accepted: CollectBatch[];
  /** Every request body received, whatever the answer. */
  requests: { body: string; contentType: string | undefined }[];
  /** Schema errors: a test fails if any body was invalid. */
  invalid: string[];
  /** Events accepted so far, in arrival order. */
  events(): TrackedEvent[];
  /** Resolves once `count` events have been accepted. */
  waitForEvents(count: number, timeoutMs?: number): Promise<TrackedEvent[]>;
  close(): Promise<void>;
}

export async function startCollector(): Promise<Collector> {
  const collector: Collector = {
    origin: '',
    status: 200,
    accepted: [],
    requests: [],
    invalid: [],
    events: () => collector.accepted.flatMap((b) => b.batch),
    async waitForEvents(count, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (collector.events().length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} events, got ${collector.events().length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return collector.events();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      // happy-dom preflights even a text/plain POST (browsers do not); answer it like a CORS-aware backend.
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type' }).end();
        return;
      }
      if (req.method !== 'POST' || req.url !== '/collect') {
        res.writeHead(404).end();
        return;
      }
      collector.requests.push({ body, contentType: req.headers['content-type'] });
      const parsed = CollectBatch.safeParse(safeJson(body));
      if (!parsed.success) collector.invalid.push(parsed.error.message);
      else if (collector.status < 300) collector.accepted.push(parsed.data);
      res.writeHead(parsed.success ? collector.status : 400, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collector.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return collector;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type Listener = [string, EventListenerOrEventListenerObject, AddEventListenerOptions | boolean | undefined];
const added: Listener[] = [];
const realAddEventListener = window.addEventListener.bind(window);
const realHistory = { pushState: history.pushState, replaceState: history.replaceState };

/** The page as a real visitor's browser would present it (happy-dom reports navigator.webdriver). */
export function resetPage(url = 'http://www.example.com/'): void {
  for (const [type, fn, options] of added.splice(0)) window.removeEventListener(type, fn, options);
  Object.assign(history, realHistory);
  localStorage.clear();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  document.title = 'Example';
  document.body.innerHTML = '';
  Object.defineProperty(navigator, 'webdriver', { value: false, configurable: true });
  Object.defineProperty(navigator, 'doNotTrack', { value: 'unspecified', configurable: true });
  Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true });
  Object.defineProperty(document, 'hidden', { value: false, configurable: true });
  delete (window as { leadscore?: unknown }).leadscore;
}

/** Tracker modules from a fresh module registry, so each test starts from a clean tracker. */
export async function loadTracker() {
  vi.resetModules();
  return {
    start: await import('../../../tracker/src/start'),
    queue: await import('../../../tracker/src/queue'),
    config: await import('../../../tracker/src/config'),
    storage: await import('../../../tracker/src/storage'),
  };
}

/** A script tag as a site owner pastes it (not inserted: nothing would load it here). */
export function scriptTag(src: string, data: Record<string, string> = {}): HTMLScriptElement {
  const script = document.createElement('script');
  script.src = src;
  for (const [key, value] of Object.entries(data)) script.setAttribute(`data-${key}`, value);
  return script;
}

/**
 * Starts the tracker as the page would (script tag, then the load-time init) and records the
 * listeners it adds so resetPage can remove them.
 */
export async function bootTracker(collector: Collector, data: Record<string, string> = {}) {
  const tracker = await loadTracker();
  window.addEventListener = ((type: string, fn: EventListenerOrEventListenerObject, options?: AddEventListenerOptions | boolean) => {
    added.push([type, fn, options]);
    realAddEventListener(type, fn, options);
  }) as typeof window.addEventListener;
  try {
    tracker.start.start(scriptTag(`${collector.origin}/t.js`, { site: 'site_test', ...data }));
    await settle();
  } finally {
    window.addEventListener = realAddEventListener as typeof window.addEventListener;
  }
  return tracker;
}

/** Lets timers at 0 ms and pending promises run. */
export const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hides the page (tab switch, app switch, or the first step of leaving). */
export function hidePage(): void {
  Object.defineProperty(document, 'hidden', { value: true, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

export function showPage(): void {
  Object.defineProperty(document, 'hidden', { value: false, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** The queued events in localStorage (the retry queue). */
export function storedQueue(): TrackedEvent[] {
  return JSON.parse(localStorage.getItem('ls_q') ?? '[]');
}

/**
 * A fresh page and collector for every test of the file (timers of earlier tests' tracker
 * instances then post to a closed port), and a check that every body matched the schema.
 */
export function useCollector(url?: string): { readonly current: Collector } {
  const holder = { current: undefined as unknown as Collector };
  beforeEach(async () => {
    resetPage(url);
    holder.current = await startCollector();
  });
  afterEach(async () => {
    // Let requests still on their way land first: happy-dom's sendBeacon is a fetch nobody awaits.
    await settle(30);
    await holder.current.close();
    expect(holder.current.invalid).toEqual([]);
  });
  return holder;
}

type Tracker = Awaited<ReturnType<typeof loadTracker>>;

/** Flushes now and waits until `count` events in all have been accepted. */
export async function delivered(tracker: Tracker, collector: Collector, count: number): Promise<TrackedEvent[]> {
  tracker.queue.flush();
  return collector.waitForEvents(count);
}

/** The leadscore() global the tracker installs (or the stub before it loads). */
export const leadscore = (...args: unknown[]): void => window.leadscore!(...args);
