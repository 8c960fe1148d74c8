import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadDetail } from '../../shared';
import { hasChromium } from '../support/env';
import { BackendProcess } from './support/backend-process';
import { launchWithExtension } from './support/chromium';
import { startSiteServer } from './support/https-sites';
import { HOSTILE, seed, type Seeded } from './support/seed';
import { eventually } from './support/eventually';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
// `UPDATE_SCREENSHOTS=1` refreshes the README's screenshots; otherwise they go to test-results/.
const SCREENSHOTS = join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

/** Labels of the badges under `scope` (Playwright's CSS pierces the open shadow roots). */
const badgeLabels = (page: Page, scope = 'body') =>
  page.locator(`${scope} leadscore-badge button`).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
const badge = (page: Page, name: string, scope = 'body') => page.locator(`${scope} leadscore-badge button[aria-label^=${JSON.stringify(`leadscore: ${name},`)}]`);


describe.runIf(hasChromium())('the extension in Chromium, on the sites’ real host names, against the real backend', () => {
  let backend: BackendProcess;
  let sites: Awaited<ReturnType<typeof startSiteServer>>;
  let browser: Awaited<ReturnType<typeof launchWithExtension>>;
  let seeded: Seeded;
  let gmail: Page;
  let popup: Page;

  const rep = () => `Bearer ${seeded.repToken}`;
  const tabId = (url: string) => browser.worker.evaluate<number>(`chrome.tabs.query({ url: ${JSON.stringify(url)} }).then((tabs) => tabs[0].id)`);
  const openPopup = async (forUrl: string) => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 380, height: 640 });
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${await tabId(forUrl)}`);
    return page;
  };

  beforeAll(async () => {
    execFileSync(join(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, stdio: 'ignore' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    backend = new BackendProcess();
    seeded = await seed(backend);
    sites = await startSiteServer();
    browser = await launchWithExtension(sites.resolverRules);
  });

  afterAll(async () => {
    await browser?.close();
    await sites?.close();
    await backend?.dispose();
  });

  it('connects from the options page, with a clear error for a bad token', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByLabel('Backend URL').fill(backend.url);
    await options.getByLabel('API token').fill('not-a-token');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.locator('[data-problem="bad_token"]').waitFor();
    await options.getByLabel('API token').fill(seeded.repToken);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.locator('[data-problem="none"]').waitFor();
    expect(await options.locator('[data-problem="none"]').textContent()).toBe('Connected to workspace “Acme Sales” as rep (API version 1).');
    await options.close();
  });

  it('badges the known leads in the Gmail inbox list', async () => {
    gmail = await browser.context.newPage();
    await gmail.goto('https://mail.google.com/mail/u/0/#inbox');
    await badge(gmail, 'Bob Builder').waitFor();
    const labels = await badgeLabels(gmail, '#main');
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(/^leadscore: Alice Example, score \d+, (Hot|Warm|Cold), grade [A-D]\. Show details$/);
    expect(labels[1]).toMatch(/^leadscore: Bob Builder, score \d+/);
    // Each badge sits right after its sender.
    const before = await badge(gmail, 'Alice Example').evaluate((b) => ((b.getRootNode() as ShadowRoot).host.previousElementSibling as Element).getAttribute('email'));
    expect(before).toBe('alice@acme.example');
    await gmail.locator('#main table').screenshot({ path: join(SCREENSHOTS, 'badge.png') });
  });

  it('follows Gmail into a thread without a reload and shows milestones and reasons in the card', async () => {
    await gmail.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await gmail.locator('tr[role="row"] .bqe').first().click();
    await badge(gmail, 'Alice Example', '[data-message-id]').first().waitFor();
    expect(await gmail.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    const labels = await badgeLabels(gmail, '[data-message-id]');
    expect(labels.map((l) => l.split(',')[0])).toEqual(['leadscore: Alice Example', 'leadscore: Bob Builder', 'leadscore: Alice Example']);

    await badge(gmail, 'Alice Example', '[data-message-id]').first().click();
    const card = gmail.locator('leadscore-card [role="dialog"]');
    await card.waitFor();
    const milestones = await card.locator('section[aria-label="Recent milestones"] li').allTextContents();
    expect(milestones).toEqual(['Requested a demo1 d ago', 'Attended a webinar2 d ago']);
    const reasons = await card.locator('section[aria-label^="Why"] li').allTextContents();
    // Engagement decays (a day-old demo request counts a little under its 30 points).
    expect(reasons.some((r) => /^Requested a demo\+(29|30)(\.\d)?$/.test(r))).toBe(true);
    expect(reasons.some((r) => /^Attended a webinar\+\d/.test(r))).toBe(true);
    expect(await card.textContent()).toContain(`${seeded.leads.alice.tier} · Grade ${seeded.leads.alice.grade} · ${seeded.leads.alice.stage}`);
    const [row, box] = [await gmail.locator('[data-message-id]').first().boundingBox(), await card.boundingBox()];
    await gmail.screenshot({ path: join(SCREENSHOTS, 'card.png'), clip: { x: 0, y: row!.y - 8, width: Math.max(row!.width, box!.x + box!.width + 16), height: box!.y + box!.height - row!.y + 24 } });
    await gmail.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
  });

  it('opens the tagger for a lead from the card’s "Tag fit" button', async () => {
    await badge(gmail, 'Alice Example', '[data-message-id]').first().click();
    const opened = browser.context.waitForEvent('page');
    await gmail.locator('leadscore-card').getByRole('button', { name: 'Tag fit…' }).click();
    const tagger = await opened;
    expect(tagger.url()).toBe(`chrome-extension://${browser.extensionId}/popup.html?lead=${seeded.leads.alice.id}`);
    await tagger.getByRole('form', { name: 'Tag Alice Example' }).waitFor();
    expect(await tagger.getByTestId('preview').textContent()).toContain(`Score ${Math.round(seeded.leads.alice.score)}`);
    await tagger.close();
    await gmail.keyboard.press('Escape');
  });

  it('shows the top Hot leads in the popup when the current tab has no leads', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await page.getByRole('heading', { name: 'Top Hot leads' }).waitFor();
    const rows = await page.locator('ul.leads button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(rows[0]).toMatch(/^Tag Alice Example: score \d+, Hot, grade A/);
    await page.close();
  });

  it('badges the sender of an Outlook message and a linked LinkedIn profile', async () => {
    const outlook = await browser.context.newPage();
    await outlook.goto('https://outlook.office.com/mail/inbox');
    await badge(outlook, 'Carol Client', '#ReadingPaneContainerId').waitFor();
    expect(await badgeLabels(outlook, '#o365header')).toEqual([]);

    const linkedin = await browser.context.newPage();
    await linkedin.goto('https://www.linkedin.com/in/jane-doe/');
    await badge(linkedin, 'Jane Doe', 'main').waitFor();
    await outlook.close();
  });

  it('links a LinkedIn profile to a lead from the popup, and the profile gets its badge', async () => {
    const linkedin = browser.context.pages().find((p) => p.url().startsWith('https://www.linkedin.com/'))!;
    await linkedin.evaluate(() => (window as unknown as { navigateTo: (p: string, n: string, h: string) => void }).navigateTo('/in/carol-client/', 'Carol Client', 'Head of Operations'));
    await eventually(() => badgeLabels(linkedin, 'main'), (labels) => labels.length === 0);
    const page = await openPopup('https://www.linkedin.com/*');
    await page.getByLabel('Lead email').fill('carol@client.example');
    await page.getByRole('button', { name: 'Link profile' }).click();
    await badge(linkedin, 'Carol Client', 'main').waitFor();
    const { leads } = await backend.request<{ leads: Record<string, { id: string } | null> }>('GET', `/api/leads?linkedin=${encodeURIComponent('https://www.linkedin.com/in/carol-client')}`, rep());
    expect(leads['https://www.linkedin.com/in/carol-client']?.id).toBe(seeded.leads.carol.id);
    await page.close();
    await linkedin.close();
  });

  it('tags fit in the popup with an instant preview, saves, and the badge changes', async () => {
    await gmail.goto('https://mail.google.com/mail/u/0/#inbox');
    await badge(gmail, 'Bob Builder').waitFor();
    const before = seeded.leads.bob.score;
    popup = await openPopup('https://mail.google.com/*');
    await popup.getByRole('button', { name: /^Tag Bob Builder/ }).click();
    const preview = popup.getByTestId('preview');
    await preview.waitFor();
    await popup.getByLabel('Seniority').selectOption('vp');
    await popup.getByLabel('Decision maker').selectOption('yes');
    expect(await preview.textContent()).toContain(`${Math.round(before)} → ${Math.round(before + 20)} (+20)`);
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup.png') });
    await popup.emulateMedia({ colorScheme: 'dark' });
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-dark.png') });
    await popup.emulateMedia({ colorScheme: 'light' });
    await popup.getByRole('button', { name: 'Save' }).click();
    await popup.getByText(/^Saved · score/).waitFor();
    await badge(gmail, 'Bob Builder').and(gmail.locator(`[aria-label*="score ${Math.round(before + 20)},"]`)).waitFor();
  });

  it('queues a tag while the backend is down and delivers it after the restart', async () => {
    await backend.stop();
    await popup.getByLabel('Budget confirmed').selectOption('yes');
    await popup.getByRole('button', { name: 'Save' }).click();
    await popup.getByText(/^Queued/).waitFor();
    await backend.start();
    const detail = await eventually(
      () => backend.request<LeadDetail>('GET', `/api/leads/${seeded.leads.bob.id}`, rep()),
      (d) => d.attributes.some((a) => a.key === 'budget' && a.value === true),
      60_000,
    );
    expect(detail.attributes.find((a) => a.key === 'seniority')?.value).toBe('vp');
    await badge(gmail, 'Bob Builder').and(gmail.locator(`[aria-label*="score ${Math.round(seeded.leads.bob.score + 30)},"]`)).waitFor({ timeout: 30_000 });
  });

  it('renders a lead whose name and milestone are HTML as text: no element, no handler', async () => {
    await gmail.evaluate(() => (window as unknown as { addRows: (p: { email: string; name: string }[]) => void }).addRows([{ email: 'evil@evil-corp.example', name: 'Evil Corp' }]));
    const evil = badge(gmail, HOSTILE);
    await evil.waitFor();
    await evil.click();
    const card = gmail.locator('leadscore-card [role="dialog"]');
    await card.waitFor();
    expect(await card.locator('.name').textContent()).toBe(HOSTILE);
    expect(await card.locator('section[aria-label="Recent milestones"] li').first().textContent()).toContain(HOSTILE);
    const found = await gmail.evaluate(() => {
      const roots = [...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []));
      return {
        shadowRoots: roots.length,
        images: roots.reduce((n, r) => n + r.querySelectorAll('img').length, 0) + document.querySelectorAll('img').length,
        pwned: (window as unknown as { __leadscorePwned?: number }).__leadscorePwned,
      };
    });
    expect(found.shadowRoots).toBeGreaterThan(3);
    expect(found.images).toBe(0);
    expect(found.pwned).toBeUndefined();
  });

  it('keeps the token out of every page: page scripts, DOM, shadow roots and storage', async () => {
    const pages = [gmail, await browser.context.newPage(), await browser.context.newPage()];
    await pages[1]!.goto('https://outlook.office.com/mail/inbox');
    await pages[2]!.goto('https://www.linkedin.com/in/jane-doe/');
    await badge(pages[2]!, 'Jane Doe', 'main').waitFor();
    for (const page of pages) {
      const seen = await page.evaluate((token) => {
        const roots = [...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot.innerHTML] : []));
        const globals = Object.getOwnPropertyNames(window).map((key) => {
          try {
            return String((window as unknown as Record<string, unknown>)[key]);
          } catch {
            return '';
          }
        });
        const texts = [document.documentElement.outerHTML, ...roots, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie, ...globals];
        const chromeApi = (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome;
        return { leaked: texts.some((t) => t.includes(token)), canMessageExtension: typeof chromeApi?.runtime?.sendMessage === 'function', roots: roots.length };
      }, seeded.repToken);
      expect(seen).toEqual({ leaked: false, canMessageExtension: false, roots: expect.any(Number) });
    }
  });
});
