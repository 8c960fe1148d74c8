import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummary, ScoringModel, TokensResponse } from '../../shared/index';
import { hasChromium } from '../support/env';
import { BackendProcess } from './support/backend-process';
import { launchChromium } from './support/chromium';
import { HOSTILE, seed, type Seeded } from './support/seed';
import { eventually } from './support/eventually';

/**
 * The console as sales and marketing ops use it: the real backend process serving the built
 * console at /app, Debian's Chromium signing in with a token and working through each page.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

/** axe-core on the page as it stands: no serious or critical violation. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __leadscorePwned?: number }).__leadscorePwned);

describe.runIf(hasChromium())('the console in a real browser against the real backend', () => {
  const backend = new BackendProcess();
  let seeded: Seeded;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let attacker: Server;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build:console', '--silent'], { cwd: ROOT, stdio: 'ignore' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    seeded = await seed(backend);
    const asAdmin = `Bearer ${seeded.adminToken}`;
    // Hostile text where the console shows user-provided text: an attribute and an event's properties.
    await backend.request('PATCH', `/api/leads/${seeded.leads.evil.id}`, asAdmin, { attributes: { note: HOSTILE } });
    const batch = [{ type: 'track', messageId: 'hostile-props', userId: 'evil@evil-corp.example', event: 'Page Shared', properties: { html: HOSTILE } }];
    await backend.request('POST', '/v1/batch', `Basic ${Buffer.from(`${seeded.siteKey}:`).toString('base64')}`, { batch });
    browser = await launchChromium('MAP nothing.invalid 127.0.0.1');
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await admin.newPage();
    // A page of another origin on the same host: same-site, so SameSite=Strict still sends the cookie.
    attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>attacker</title><p>hi</p>');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await browser?.close();
    attacker?.close();
    await backend.dispose();
  });

  const signIn = async (p: Page, token: string) => {
    await p.goto(`${backend.url}/app/`);
    await p.getByLabel('API token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Leads' }).waitFor();
  };

  it('serves the console with a CSP without inline scripts, and an accessible sign-in page', async () => {
    const response = await page.goto(`${backend.url}/app/`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response!.headers()['content-security-policy']).not.toContain('unsafe-inline');
    await page.getByRole('heading', { name: 'Sign in to the leadscore console' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('API token').fill('ls_admin_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('not valid');
  });

  it('signs in for an httpOnly, SameSite=Strict session cookie; the token is kept nowhere on the page', async () => {
    await signIn(page, seeded.adminToken);
    // The browser's cookie store is written beside the page, not before it renders: read until it shows.
    const cookies = await eventually(() => admin.cookies(backend.url), (c) => c.length > 0, 5_000);
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([{ name: 'leadscore_session', httpOnly: true, sameSite: 'Strict' }]);
    expect(cookies[0]!.value).not.toContain(seeded.adminToken);
    const kept = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie, html: document.documentElement.outerHTML }));
    expect(kept).not.toContain(seeded.adminToken);
    expect(kept).not.toContain('leadscore_session');
  });

  it('shows the leads table, filters and searches it, accessibly', async () => {
    const rows = page.locator('table.leads tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(5);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-leads.png') });
    await expectAccessible(page, 'leads');
    await page.getByLabel('Tier').selectOption('Hot');
    await page.waitForFunction(() => location.hash.includes('tier=Hot'));
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('Hot'))).toBe(true);
    expect(await rows.first().textContent()).toContain('Alice Example');
    // An admin's CSV export of the view (GET /api/leads/export.csv filters by tier), with the session cookie.
    const download = page.getByRole('link', { name: 'Download CSV' });
    expect(await download.getAttribute('href')).toBe('/api/leads/export.csv?tier=Hot');
    const csv = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    }, (await download.getAttribute('href'))!);
    expect(csv).toMatchObject({ status: 200, type: expect.stringContaining('text/csv') });
    expect(csv.text).toContain('alice@acme.example');
    expect(csv.text).not.toContain('bob@acme.example');
    await page.getByLabel('Tier').selectOption('');
    await page.getByLabel('Search').fill('GLOBEX');
    await expect.poll(async () => (await rows.allTextContents()).map((t) => t.slice(0, 20))).toEqual([expect.stringContaining('Jane Doe')]);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => rows.count()).toBe(5);
  });

  it('pages through the server a page of 50 at a time, forward and back', async () => {
    const batch = Array.from({ length: 55 }, (_, i) => ({ type: 'identify', messageId: `bulk-${i}`, userId: `bulk${i}@bulk.example`, traits: { email: `bulk${i}@bulk.example`, name: `Bulk Person ${i}` } }));
    await backend.request('POST', '/v1/batch', `Basic ${Buffer.from(`${seeded.siteKey}:`).toString('base64')}`, { batch });
    await page.goto(`${backend.url}/app/#/leads?q=bulk.example`);
    const rows = page.locator('table.leads tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    const first = await rows.allTextContents();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => rows.count()).toBe(5);
    expect(await page.locator('.pager').textContent()).toContain('Page 2');
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    const second = await rows.allTextContents();
    expect(new Set([...first, ...second].map((t) => /bulk\d+@/.exec(t)![0])).size).toBe(55);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    await page.goto(`${backend.url}/app/#/leads`);
  });

  it('renders a hostile name as text in the table', async () => {
    const cell = page.locator('table.leads td', { hasText: 'onerror' });
    expect(await cell.textContent()).toBe(HOSTILE);
    expect(await page.locator('table.leads img').count()).toBe(0);
    expect(await pwned(page)).toBeUndefined();
  });

  it('is usable by keyboard alone: Tab to a row, arrows to move, Enter to open the lead', async () => {
    await page.goto(`${backend.url}/app/#/leads?sort=score`);
    await page.locator('table.leads tbody tr').first().waitFor();
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    let focused = '';
    for (let i = 0; i < 30 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.lead ?? '');
    }
    const order = await page.locator('table.leads tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.lead));
    expect(focused).toBe(order[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.lead)).toBe(order[2]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#/leads/${id}`, order[1]);
    await page.getByRole('heading', { level: 2, name: /^Score \d+/ }).waitFor();
  });

  it('shows a lead with its score and why, and tags, rates and sets its stage', async () => {
    await page.goto(`${backend.url}/app/#/leads/${seeded.leads.alice.id}`);
    await page.getByRole('heading', { level: 1, name: 'Alice Example' }).waitFor();
    const why = page.locator('table', { has: page.locator('caption', { hasText: 'Why' }) });
    expect(await why.textContent()).toContain('Requested a demo');
    expect(await page.locator('section[aria-labelledby="milestones-h"] li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Attended a webinar')]));
    expect(await page.locator('section[aria-labelledby="timeline-h"] li').count()).toBeGreaterThan(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-lead.png'), fullPage: true });
    await expectAccessible(page, 'lead');

    await page.getByLabel('Attribute', { exact: true }).fill('industry');
    await page.getByLabel('Value (empty removes it)').fill('Fintech');
    await page.getByRole('button', { name: 'Tag' }).click();
    const attributes = page.locator('section[aria-labelledby="attributes-h"] tr', { hasText: 'Fintech' });
    await attributes.waitFor();
    expect(await attributes.textContent()).toContain('e2e admin (tok_');
    await page.getByLabel('Rating').selectOption('9');
    await page.getByText('Rating saved.').waitFor();
    await page.getByRole('combobox', { name: /^Stage/ }).selectOption('SQL');
    await page.getByText('Stage saved.').waitFor();
    expect(await page.locator('section[aria-labelledby="stages-h"]').textContent()).toContain('→ SQL');
    const stored = await backend.request<{ stage: string; attributes: { key: string; value: unknown }[] }>('GET', `/api/leads/${seeded.leads.alice.id}`, `Bearer ${seeded.repToken}`);
    expect(stored.stage).toBe('SQL');
    expect(stored.attributes).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'industry', value: 'Fintech' }), expect.objectContaining({ key: 'rating', value: 9 })]));
  });

  it('renders hostile text in a lead (name, attribute, milestone label, event properties) as text', async () => {
    await page.goto(`${backend.url}/app/#/leads/${seeded.leads.evil.id}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'onerror' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(HOSTILE);
    const main = (await page.locator('main').textContent())!;
    expect(main.split(HOSTILE).length - 1).toBeGreaterThanOrEqual(4); // name, attribute, milestone, properties (JSON-quoted too)
    expect(await page.locator('section[aria-labelledby="attributes-h"] td', { hasText: 'onerror' }).textContent()).toBe(HOSTILE);
    expect(await page.locator('section[aria-labelledby="milestones-h"] li').first().textContent()).toContain(HOSTILE);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await pwned(page)).toBeUndefined();
  });

  it('merges a duplicate into a lead after finding it by email and a confirmation', async () => {
    const asRep = `Bearer ${seeded.repToken}`;
    const duplicate = await backend.request<{ id: string }>('POST', '/api/leads', asRep, { email: 'carol.personal@mail.example', name: 'Carol (personal)' });
    await page.goto(`${backend.url}/app/#/leads/${seeded.leads.carol.id}`);
    await page.getByRole('heading', { level: 1, name: 'Carol Client' }).waitFor();
    await page.getByLabel("The other lead's email").fill('nobody@mail.example');
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await page.locator('section[aria-labelledby="merge-h"] [role="alert"]').textContent()).toContain('No lead has the email');
    await page.getByLabel("The other lead's email").fill('carol.personal@mail.example');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('group', { name: 'Confirm merge' }).waitFor();
    await page.getByRole('button', { name: 'Yes, merge' }).click();
    await page.getByText('Merged Carol (personal) into this lead.').waitFor();
    const { leads } = await backend.request<{ leads: Record<string, { id: string } | null> }>('GET', '/api/leads?email=carol.personal@mail.example', asRep);
    expect(leads['carol.personal@mail.example']?.id).toBe(seeded.leads.carol.id);
    expect((await fetch(`${backend.url}/api/leads/${duplicate.id}`, { headers: { authorization: asRep } })).status).toBe(404);
  });

  it('erases a lead only after an explicit confirmation (admin)', async () => {
    await page.goto(`${backend.url}/app/#/leads/${seeded.leads.bob.id}`);
    await page.getByRole('heading', { level: 1, name: 'Bob Builder' }).waitFor();
    await page.getByRole('button', { name: 'Erase lead…' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Erase lead…' }).click();
    await page.getByRole('button', { name: 'Yes, erase permanently' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await page.locator('table.leads tbody tr').first().waitFor();
    expect(await page.locator('table.leads').textContent()).not.toContain('Bob Builder');
    const { leads } = await backend.request<{ leads: Record<string, unknown> }>('GET', '/api/leads?email=bob@acme.example', `Bearer ${seeded.adminToken}`);
    expect(leads['bob@acme.example']).toBeNull();
  });

  it('manages sites and tokens in settings: the snippet, a token shown once, revoking it', async () => {
    await page.goto(`${backend.url}/app/#/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.locator('textarea').first().waitFor();
    expect(await page.locator('textarea').first().inputValue()).toBe(`<script defer src="${backend.url}/t.js" data-site="${seeded.siteKey}"></script>`);
    await expectAccessible(page, 'settings');
    await page.getByLabel('Label').fill('Dana');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(secret).toMatch(/^ls_rep_/);
    expect((await fetch(`${backend.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('main').textContent()).not.toContain(secret);
    await page.getByRole('button', { name: 'Revoke Dana' }).click();
    await page.locator('td', { hasText: /^revoked/ }).waitFor();
    expect((await fetch(`${backend.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);

    // A webhook: its signing secret shown once, then removed. (A public address: private ones are refused by default.)
    await page.getByLabel('Receiver URL').fill('https://93.184.215.14/hooks/leadscore');
    await page.getByLabel('The model changes').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    expect(await page.getByLabel('Signing secret').inputValue()).toMatch(/^whsec_/);
    const listed = (await backend.request<{ webhooks: { url: string; events: string[] }[] }>('GET', '/api/webhooks', `Bearer ${seeded.adminToken}`)).webhooks;
    expect(listed).toEqual([expect.objectContaining({ url: 'https://93.184.215.14/hooks/leadscore', events: ['lead.tier_changed', 'model.changed'] })]);
    await page.getByRole('button', { name: 'Done' }).click();
    await expectAccessible(page, 'settings with a webhook');
    await page.getByRole('button', { name: 'Remove the webhook to https://93.184.215.14/hooks/leadscore' }).click();
    await page.getByText('No webhooks yet.').waitFor();
  });

  it('shows conversion by tier with its intervals as a chart, accessibly', async () => {
    const asAdmin = `Bearer ${seeded.adminToken}`;
    await backend.request('PATCH', `/api/leads/${seeded.leads.alice.id}`, asAdmin, { outcome: 'won' });
    await backend.request('PATCH', `/api/leads/${seeded.leads.carol.id}`, asAdmin, { outcome: 'lost' });
    await backend.request('PATCH', `/api/leads/${seeded.leads.jane.id}`, asAdmin, { outcome: 'won' });
    await page.goto(`${backend.url}/app/#/evidence`);
    await page.getByRole('heading', { name: 'Conversion by tier' }).waitFor();
    const chart = page.getByRole('img', { name: /^Conversion by tier:/ });
    expect(await chart.getAttribute('aria-label')).toMatch(/Hot 100% \(95% interval [\d.]+% to 100%, n=1\)/);
    expect(await chart.locator('rect.bar').count()).toBeGreaterThanOrEqual(2);
    expect(await chart.locator('g.whisker').count()).toBeGreaterThanOrEqual(2);
    const hot = page.locator('section[aria-labelledby="tier-h"] tbody tr', { hasText: 'Hot' });
    expect(await hot.locator('td').allTextContents()).toEqual(['Hot', '1', '0', '0', '100%', expect.stringMatching(/^[\d.]+% – 100%$/), expect.stringMatching(/x$/)]);
    // By account tier: the same two won and one lost, grouped by their accounts' tiers.
    const byAccount = await page.locator('section[aria-labelledby="account-tier-h"] tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(byAccount.reduce((sum, cells) => [sum[0]! + Number(cells[1]), sum[1]! + Number(cells[2])], [0, 0])).toEqual([2, 1]);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-evidence.png'), fullPage: true });
    await expectAccessible(page, 'evidence');
  });

  it('groups people at one business domain into an account: the accounts table, the account with its people and why, accessibly', async () => {
    // Three people at one company domain (not on the free or disposable lists), engaged an hour ago.
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const person = (email: string, name: string, events: string[]) => [
      { type: 'identify', messageId: `acct-${email}`, timestamp: at, userId: email, traits: { email, name, company: 'Acme Robotics' } },
      ...events.map((event, i) => ({ type: 'track', messageId: `acct-${email}-${i}`, timestamp: at, userId: email, event, properties: {} })),
    ];
    const batch = [
      ...person('rosa@acme-robotics.com', 'Rosa Robot', ['Demo Requested', 'Webinar Attended']),
      ...person('max@acme-robotics.com', 'Max Gear', ['Webinar Attended', 'Email Link Clicked']),
      ...person('ida@acme-robotics.com', 'Ida Servo', ['Webinar Registered']),
    ];
    await backend.request('POST', '/v1/batch', `Basic ${Buffer.from(`${seeded.siteKey}:`).toString('base64')}`, { batch });
    const asRep = `Bearer ${seeded.repToken}`;
    const lookup = () => fetch(`${backend.url}/api/accounts?domain=acme-robotics.com`, { headers: { authorization: asRep } }).then(async (r) => (r.ok ? ((await r.json()) as AccountSummary) : null));
    const account = await eventually(lookup, (a) => a?.peopleEngaged === 3);
    // Engagement: the top three people's (50 + 25 + 10) plus 5 for each of the 3 engaged, capped at 50; no fit rule holds.
    expect(account).toMatchObject({ name: 'Acme Robotics', domain: 'acme-robotics.com', people: 3, peopleEngaged: 3, tier: 'Warm', targetAccount: false });

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    const row = page.locator('table.accounts tbody tr', { hasText: 'Acme Robotics' });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['Acme Robotics', 'acme-robotics.com', 'Warm', String(Math.round(account!.score)), '3', '3', 'No']);
    await expectAccessible(page, 'accounts');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-accounts.png') });
    await page.getByLabel('Tier').selectOption('Warm');
    await page.waitForFunction(() => location.hash === '#/accounts?tier=Warm');
    const rows = page.locator('table.accounts tbody tr');
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('Warm'))).toBe(true);

    // By keyboard, as the leads table: focus the row, Enter opens the account.
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#/accounts/${id}`, account!.id);
    await page.getByRole('heading', { level: 1, name: 'Acme Robotics' }).waitFor();
    const why = page.locator('section[aria-labelledby="account-score-h"] table tbody');
    await why.locator('tr').first().waitFor();
    const lines = (await why.locator('tr td:first-child').allTextContents()).sort();
    expect(lines).toEqual(['3 people engaged', 'Engagement of Ida Servo', 'Engagement of Max Gear', 'Engagement of Rosa Robot']);
    // The lines add up to more than the capped engagement, and the page says so.
    expect(await page.locator('section[aria-labelledby="account-score-h"]').textContent()).toContain('The engagement lines add up to 100; the score counts 50');
    const members = page.locator('table.members tbody tr');
    expect(await members.locator('td:first-child').allTextContents()).toEqual(['Rosa Robot', 'Max Gear', 'Ida Servo']);
    await expectAccessible(page, 'account');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-account.png'), fullPage: true });

    // A member opens its lead page, which links back to the account.
    await page.getByRole('link', { name: 'Max Gear' }).click();
    await page.getByRole('heading', { level: 1, name: 'Max Gear' }).waitFor();
    const accountOfLead = page.locator('section[aria-labelledby="account-h"]');
    expect(await accountOfLead.textContent()).toContain('Acme Robotics · Warm account');
    expect(await accountOfLead.textContent()).toContain('3 people engaged');
    await expectAccessible(page, 'lead-with-account');
    await accountOfLead.getByRole('link', { name: 'Acme Robotics' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Robotics' }).waitFor();
  });

  /** Presses Tab (or Shift+Tab) until the focused control's label or text is `name`: keyboard only, no clicks. */
  const tabTo = async (p: Page, name: string, key = 'Tab') => {
    for (let i = 0; i < 200; i++) {
      await p.keyboard.press(key);
      const focused = await p.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return (el?.labels?.[0]?.firstChild?.textContent ?? el?.textContent ?? '').trim();
      });
      if (focused === name) return;
    }
    throw new Error(`no control named "${name}" in the tab order`);
  };

  it('edits the model by keyboard alone, previews it against the current one, and saves it with a rescore progress bar', async () => {
    const asAdmin = `Bearer ${seeded.adminToken}`;
    const before = await backend.request<ScoringModel>('GET', '/api/model', asAdmin);
    await page.goto(`${backend.url}/app/#/model`);
    await page.getByRole('heading', { name: 'Fit rules (who the lead is)' }).waitFor();
    // The hostile milestone label is an input's value, never markup.
    expect(await page.locator('fieldset.rule input').evaluateAll((inputs) => inputs.some((i) => (i as HTMLInputElement).value.includes('onerror')))).toBe(true);
    expect(await pwned(page)).toBeUndefined();
    await expectAccessible(page, 'model');

    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await tabTo(page, 'Add fit rule');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Fit rule New fit rule' }).waitFor();
    // Back from the button into the new rule: its label, then its condition's value.
    await tabTo(page, 'Label', 'Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Fintech company');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12');
    await tabTo(page, 'Value (a value)');
    await page.keyboard.type('Fintech');
    await tabTo(page, 'Preview against current');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Preview: the draft against the current model' }).waitFor();
    const preview = (await page.locator('section[aria-labelledby="preview-h"]').textContent())!;
    expect(preview).toMatch(/On \d+ leads with a dated outcome/);
    expect(preview).toContain('Draft');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-model.png'), fullPage: true });
    await tabTo(page, 'Save model');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /Rescoring every lead: Done \(\d+ of \d+ leads\)/ }).waitFor();
    expect(await page.locator('progress').evaluate((p) => (p as HTMLProgressElement).value === (p as HTMLProgressElement).max)).toBe(true);

    const after = await backend.request<ScoringModel>('GET', '/api/model', asAdmin);
    expect(after.version).toBe(before.version + 1);
    expect(after.fit.rules.at(-1)).toEqual({ id: 'new-fit-rule', label: 'Fintech company', when: [{ attr: 'industry', op: 'eq', value: 'Fintech' }], points: 12 });
    // Alice was tagged Fintech earlier: rescored under the new version, the rule is in her why.
    const alice = await backend.request<{ modelVersion: number; reasons: { label: string }[] }>('GET', `/api/leads/${seeded.leads.alice.id}`, asAdmin);
    expect(JSON.stringify(alice)).toContain('Fintech company');
  });

  it('checks the JSON draft through the API: bad JSON and an invalid model are named, and nothing is saved', async () => {
    const asAdmin = `Bearer ${seeded.adminToken}`;
    const before = await backend.request<ScoringModel>('GET', '/api/model', asAdmin);
    await page.goto(`${backend.url}/app/#/model`);
    await page.getByRole('button', { name: 'JSON' }).click();
    const json = page.getByLabel('The model as JSON');
    const model = JSON.parse(await json.inputValue()) as ScoringModel;
    await json.fill('{ "version": ');
    await page.getByRole('button', { name: 'Preview against current' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/^not valid JSON/);
    model.fit.rules[0]!.points = 5000;
    await json.fill(JSON.stringify(model, null, 2));
    await page.getByRole('button', { name: 'Preview against current' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/fit\.rules\.0\.points/);
    expect(await page.getByRole('button', { name: 'Save model' }).isDisabled()).toBe(true);
    expect((await backend.request<ScoringModel>('GET', '/api/model', asAdmin)).version).toBe(before.version);
    await expectAccessible(page, 'model-json');
  });

  it('imports a CSV: maps the columns from its header, dry-runs with the errors, imports, and offers the error report', async () => {
    const asAdmin = `Bearer ${seeded.adminToken}`;
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    // 240 closed leads where industry predicts the outcome (with noise), so a model can be learned next.
    const rows = Array.from({ length: 240 }, (_, i) => {
      const saas = i % 2 === 0;
      const won = saas ? i % 10 !== 0 : i % 7 === 0;
      // contractSigned is filled in after the sale: the learned model's report must flag it as leakage.
      return `crm-${i},imp${i}@import.example,Imported ${i},${saas ? 'SaaS' : 'Retail'},${won ? 'yes' : ''},${won ? 'won' : 'lost'},${day(60)},${day(10)}`;
    });
    const csv = ['Lead ID,Email,Name,industry,contractSigned,Outcome,Created At,Closed At', ...rows, 'crm-bad,not-an-email,Bad Row,SaaS,,won,,', 'crm-bad2,bad2@import.example,Bad Outcome,SaaS,,maybe,,'].join('\n');
    await page.goto(`${backend.url}/app/#/import`);
    await page.getByRole('heading', { name: 'Import' }).waitFor();
    await page.getByLabel('CSV file').setInputFiles({ name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Email column').waitFor();
    expect(await page.getByLabel('Email column').inputValue()).toBe('Email');
    expect(await page.getByLabel('Outcome column').inputValue()).toBe('Outcome');
    expect(await page.getByLabel('Outcome date column').inputValue()).toBe('Closed At');
    await page.getByLabel('External id column').selectOption('Lead ID');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: 'Dry run: nothing was written' }).waitFor();
    const result = page.locator('section[aria-labelledby="result-h"]');
    expect(await result.textContent()).toContain('242 rows: 240 would be created, 0 would be updated, 2 failed.');
    expect(await result.locator('tbody tr').count()).toBe(2);
    const { leads } = await backend.request<{ leads: Record<string, unknown> }>('GET', '/api/leads?email=imp1@import.example', asAdmin);
    expect(leads['imp1@import.example']).toBeNull();
    await expectAccessible(page, 'import');

    const report = page.getByRole('link', { name: 'Download the error report' });
    expect(await report.getAttribute('download')).toBe('import-errors.csv');
    // A real download of the Blob link (the page's CSP keeps fetch to its own origin, so no fetch of blob:).
    const [download] = await Promise.all([page.waitForEvent('download'), report.click()]);
    expect(download.suggestedFilename()).toBe('import-errors.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('line,column,reason');
    expect(text).toMatch(/\r\n242,Email,/);
    expect(text).toMatch(/\r\n243,Outcome,/);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    expect(await result.textContent()).toContain('242 rows: 240 created, 0 updated, 2 failed.');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-import.png'), fullPage: true });
    // Written this time, with the outcome: a lost lead is Disqualified.
    const imported = await backend.request<{ leads: Record<string, unknown> }>('GET', '/api/leads?email=imp1@import.example', asAdmin);
    expect(imported.leads['imp1@import.example']).toMatchObject({ name: 'Imported 1', stage: 'Disqualified' });
  });

  it('says when there is no challenger, learns a model with its report, saves it as challenger, and adopts it', async () => {
    const asAdmin = `Bearer ${seeded.adminToken}`;
    const before = await backend.request<ScoringModel>('GET', '/api/model', asAdmin);
    await page.goto(`${backend.url}/app/#/evidence`);
    await page.getByText('No challenger is running.').waitFor();
    await page.getByRole('button', { name: 'Learn a model' }).click();
    const aucs = page.locator('table', { has: page.locator('caption', { hasText: 'AUC on the held-out leads' }) });
    await aucs.waitFor({ timeout: 60_000 });
    expect(await aucs.locator('tbody tr').first().textContent()).toMatch(/^Learned model[01]\.\d{3} \(95% interval [\d.]+ to [\d.]+\)$/);
    expect(await page.locator('section[aria-labelledby="learn-h"] .notice').textContent()).toMatch(/Possible leakage.*contractSigned/);
    const calibration = page.getByRole('img', { name: /^Calibration by decile:/ });
    expect(await calibration.locator('circle.predicted').count()).toBeGreaterThan(0);
    expect(await calibration.locator('circle.actual').count()).toBe(await calibration.locator('circle.predicted').count());
    await page.screenshot({ path: join(SCREENSHOTS, 'console-learn.png'), fullPage: true });
    await expectAccessible(page, 'learn');

    await page.getByRole('button', { name: 'Save as challenger' }).click();
    await page.getByText('Saved as the challenger').waitFor();
    await page.getByText(/^Challenger ".+" since/).waitFor();
    expect(await page.locator('section[aria-labelledby="challenger-h"]').textContent()).toMatch(/Difference \(challenger − champion\)/);
    await page.getByRole('button', { name: 'Adopt' }).click();
    await page.getByText(/^Adopted: the learned model is version \d+\.$/).waitFor();
    expect((await backend.request<ScoringModel>('GET', '/api/model', asAdmin)).version).toBe(before.version + 1);
  });

  it('refuses the cookie on a change from another origin, even a same-site one', async () => {
    const count = async () => (await backend.request<TokensResponse>('GET', '/api/tokens', `Bearer ${seeded.adminToken}`)).tokens.length;
    const before = await count();
    // The browser sends the cookie along (same site), but the Origin is not the console's.
    const evil = await admin.newPage();
    await evil.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    await evil.evaluate(async (url) => {
      await fetch(`${url}/api/tokens`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"role":"admin"}' });
    }, backend.url);
    const forged = await admin.request.post(`${backend.url}/api/tokens`, { headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, data: { role: 'admin' } });
    expect(forged.status()).toBe(403);
    expect(((await forged.json()) as { error: string }).error).toBe('cross_site_request');
    expect(await count()).toBe(before);
    await evil.close();
  });

  it("gives a rep's session no admin actions: hidden in the console, 403 from the API", async () => {
    const rep = await browser.newContext();
    const repPage = await rep.newPage();
    await signIn(repPage, seeded.repToken);
    expect(await repPage.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await repPage.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);
    expect(await repPage.getByRole('link', { name: 'Import' }).count()).toBe(0);
    await repPage.goto(`${backend.url}/app/#/model`);
    await repPage.getByRole('table', { name: 'Fit rules' }).waitFor();
    expect(await repPage.locator('main input, main textarea').count()).toBe(0);
    expect(await repPage.getByRole('button', { name: /Save|Preview/ }).count()).toBe(0);
    await expectAccessible(repPage, 'model-rep');
    await repPage.goto(`${backend.url}/app/#/leads/${seeded.leads.carol.id}`);
    await repPage.getByRole('heading', { level: 1, name: 'Carol Client' }).waitFor();
    expect(await repPage.getByRole('button', { name: /Erase/ }).count()).toBe(0);
    const statuses = await repPage.evaluate(async (id) => {
      const tokens = await fetch('/api/tokens');
      const erase = await fetch(`/api/leads/${id}`, { method: 'DELETE' });
      return [tokens.status, erase.status];
    }, seeded.leads.carol.id);
    expect(statuses).toEqual([403, 403]);
    await rep.close();
  });

  it('signs out: the session is gone on the server', async () => {
    const [cookie] = await admin.cookies(backend.url);
    await page.goto(`${backend.url}/app/#/leads`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the leadscore console' }).waitFor();
    const replay = await fetch(`${backend.url}/api/me`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
    expect(replay.status).toBe(401);
  });
});
