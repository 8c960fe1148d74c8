import { request as httpRequest, type ClientRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectBatch } from '../../shared/index';
import { hasChromium } from '../support/env';
import { startServer, type ServerProcess } from '../support/backend-server';
import { launchChromium } from './support/chromium';

/**
 * Overload as a visitor's browser lives it: the backend admits one ingest request at a time
 * (MAX_PENDING_INGEST=1) and that slot is held by a slow upload, so every batch the tracker sends
 * is refused with 503 and Retry-After. When the slot frees, the tracker's retries deliver every
 * event it queued: refused is not lost.
 */

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const EVENTS = 25;

describe.runIf(hasChromium())('ingest under overload, with the real tracker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-overload-'));
  const db = join(dir, 'leadscore.db');
  let server: ServerProcess;
  let browser: Browser;
  let banner = '';

  beforeAll(async () => {
    server = await startServer('backend/src/main.ts', { DATABASE_URL: db, PORT: '0', HOST: '127.0.0.1', MAX_PENDING_INGEST: '1', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_SITE: '0' }, (line) => (banner += `${line}\n`));
    browser = await launchChromium('MAP nothing.invalid 127.0.0.1');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A POST /collect whose body is still arriving: it holds the one ingest slot until `release`. */
  function holdTheSlot(): { release: (body: string) => Promise<number> } {
    const req: ClientRequest = httpRequest(`${server.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' } });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
    });
    req.write(' ');
    return {
      release: async (body) => {
        req.end(body);
        return answered;
      },
    };
  }

  const storedCount = (anonymousId: string, name: string) => {
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (sqlite.prepare('select count(*) as n from events where anonymous_id = ? and name = ?').get(anonymousId, name) as { n: number }).n;
    } finally {
      sqlite.close();
    }
  };

  it('answers 503 with Retry-After while at capacity, and the tracker delivers every refused event later', async () => {
    const siteKey = /data-site="(pk_\w+)"/.exec(banner)?.[1] ?? '';
    const hog = holdTheSlot();
    await new Promise((r) => setTimeout(r, 200));
    const refusedDirectly = await fetch(`${server.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(refusedDirectly.status).toBe(503);
    expect(refusedDirectly.headers.get('retry-after')).toBe('1');
    expect(await refusedDirectly.json()).toMatchObject({ error: 'overloaded' });

    const context = await browser.newContext({ userAgent: USER_AGENT });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('response', async (response) => {
      if (!response.url().endsWith('/collect') || response.status() !== 503) return;
      const body = response.request().postData();
      if (body) refused.push(...(JSON.parse(body) as CollectBatch).batch.filter((e) => e.event === 'Overload Test').map((e) => e.messageId));
    });
    await page.goto(`${server.url}/demo/`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await page.evaluate((n) => {
      for (let i = 0; i < n; i++) window.leadscore!('track', 'Overload Test', { i });
    }, EVENTS);
    const anonymousId = (await page.evaluate(() => localStorage.getItem('ls_a')))!;

    // The tracker sends within 3 s; every batch is refused while the slot is held.
    const deadline = Date.now() + 30_000;
    while (new Set(refused).size < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const refusedEvents = new Set(refused).size;
    expect(refusedEvents).toBeGreaterThanOrEqual(EVENTS);
    expect(storedCount(anonymousId, 'Overload Test')).toBe(0);

    // Capacity is back: the held request completes, and the tracker's next retry gets through.
    const held: CollectBatch = { siteKey, batch: [{ type: 'track', event: 'Held', messageId: 'held-1', timestamp: new Date().toISOString(), anonymousId: 'hog' }] };
    expect(await hog.release(JSON.stringify(held))).not.toBe(503);
    const until = Date.now() + 60_000;
    while (storedCount(anonymousId, 'Overload Test') < EVENTS && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    const stored = storedCount(anonymousId, 'Overload Test');
    console.log(`overload: ${EVENTS} events sent, ${refusedEvents} refused with 503, ${stored} finally stored`);
    expect(stored).toBe(EVENTS);
    await context.close();
  });
});
