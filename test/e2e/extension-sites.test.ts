import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/env';
import { BackendProcess } from './support/backend-process';
import { launchWithExtension } from './support/chromium';
import { startSiteServer } from './support/https-sites';
import { seed, type Seeded } from './support/seed';
import { eventually } from './support/eventually';

// The site variants (test/e2e/fixtures/*-{scrambled,new,live,link-h1}.html), written from public
// descriptions of Gmail's, Outlook's and LinkedIn's markup, in Chromium with the built extension
// and the real backend. Known leads: Alice Example, Bob Builder, Carol Client, Jane Doe (linked to
// /in/jane-doe). Everyone else on these pages (Sam Lee, Sam Stranger, Dana Ruiz) is not a lead.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LEADS = ['Alice Example', 'Bob Builder', 'Carol Client', 'Jane Doe'] as const;

/** Badges per lead name (Playwright's CSS pierces the open shadow roots), and how many in all. */
async function badgeCounts(page: Page): Promise<Record<string, number>> {
  const labels = await page.locator('leadscore-badge button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
  const counts: Record<string, number> = { total: labels.length };
  for (const name of LEADS) counts[name] = labels.filter((l) => l.startsWith(`leadscore: ${name},`)).length;
  return counts;
}


const sameCounts = (want: Record<string, number>) => (got: Record<string, number>) => Object.entries(want).every(([k, v]) => got[k] === v);

describe.runIf(hasChromium())('the extension on variants of the sites’ markup, in Chromium', () => {
  let backend: BackendProcess;
  let sites: Awaited<ReturnType<typeof startSiteServer>>;
  let browser: Awaited<ReturnType<typeof launchWithExtension>>;
  let seeded: Seeded;

  const open = async (url: string) => {
    const page = await browser.context.newPage();
    await page.goto(url);
    return page;
  };
  /** Waits until the badges are exactly these (every other count zero), and returns them. */
  const expectBadges = async (page: Page, want: Partial<Record<(typeof LEADS)[number], number>>) => {
    const full = { ...Object.fromEntries(LEADS.map((name) => [name, 0])), ...want };
    const total = Object.values(full).reduce((a, b) => a + b, 0);
    const counts = await eventually(() => badgeCounts(page), sameCounts({ ...full, total }));
    expect(counts).toEqual({ ...full, total });
  };

  beforeAll(async () => {
    execFileSync(join(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, stdio: 'ignore' });
    backend = new BackendProcess();
    seeded = await seed(backend);
    sites = await startSiteServer();
    browser = await launchWithExtension(sites.resolverRules);
    const options = await open(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByLabel('Backend URL').fill(backend.url);
    await options.getByLabel('API token').fill(seeded.repToken);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.locator('[data-problem="none"]').waitFor();
    await options.close();
  });

  afterAll(async () => {
    await browser?.close();
    await sites?.close();
    await backend?.dispose();
  });

  it('Gmail with every class name scrambled: rows and the open message, nothing from the body', async () => {
    const page = await open('https://mail.google.com/mail/u/0/?fixture=gmail-scrambled#inbox/FMfcgz');
    // Alice: her row and the message she sent. Bob: his row only (the body's copies of Gmail's
    // span, one of them exact, give none). Sam Lee (row and recipient) is not a lead.
    await expectBadges(page, { 'Alice Example': 2, 'Bob Builder': 1 });
    expect(await page.locator('[role="listitem"] leadscore-badge button[aria-label^="leadscore: Bob"]').count()).toBe(0);
    await page.close();
  });

  it('gives the slot of a person who is not a lead zero width, while a lead’s badge keeps its place', async () => {
    const page = await open('https://mail.google.com/mail/u/0/?fixture=gmail-scrambled#inbox/FMfcgz');
    await expectBadges(page, { 'Alice Example': 2, 'Bob Builder': 1 });
    const widths = await eventually(
      () =>
        page.evaluate(() => {
          const slotAfter = (email: string) => document.querySelector(`[role="row"] span[email="${email}"]`)!.nextElementSibling!;
          const sam = slotAfter('stranger@unknown.example');
          const name = document.querySelector('[role="row"] span[email="stranger@unknown.example"]')!.getBoundingClientRect();
          // The ", " after "Sam Lee" starts where the name ends: no gap.
          const comma = document.createRange();
          comma.selectNodeContents(sam.parentElement!.nextSibling!);
          return {
            samSlot: [sam.localName, sam.getBoundingClientRect().width],
            gap: Math.round(comma.getBoundingClientRect().left - name.right),
            aliceSlot: slotAfter('alice@acme.example').getBoundingClientRect().width,
          };
        }),
      (w) => w.samSlot[1] === 0,
    );
    expect(widths).toEqual({ samSlot: ['leadscore-badge', 0], gap: 0, aliceSlot: 38 });
    await page.close();
  });

  it('new Outlook: the list beside role="main", addresses only as visible text in the reading pane', async () => {
    const page = await open('https://outlook.office.com/mail/inbox?fixture=outlook-new');
    // Carol and Alice: their rows and their places in the open message's header (4 occurrences).
    // Dana is not a lead; the banner, the crafted subject, row preview and body name Bob and Eve.
    await expectBadges(page, { 'Carol Client': 2, 'Alice Example': 2 });
    expect(await page.locator('[role="main"] leadscore-badge button').count()).toBe(2);
    expect(await page.locator('[role="region"][aria-label="Message list"] leadscore-badge button').count()).toBe(2);
    await page.close();
  });

  it('Outlook.com: addresses only in the persona hover-card attributes', async () => {
    const page = await open('https://outlook.live.com/mail/0/?fixture=outlook-live');
    // Bob: his row and the sender of the open message; Carol: a recipient. Alice is only in the body.
    await expectBadges(page, { 'Bob Builder': 2, 'Carol Client': 1 });
    await page.close();
  });

  /** Where the badge sits against the name: inside the heading, on the line of its last word. */
  const badgePlace = (page: Page) =>
    page.evaluate(() => {
      const heading = document.querySelector('main h1')!;
      const text = document.createRange();
      text.selectNodeContents(heading.firstChild!);
      const name = text.getBoundingClientRect();
      const host = heading.querySelector('leadscore-badge')!;
      const badge = host.shadowRoot!.querySelector('button')!.getBoundingClientRect();
      return {
        inHeading: host.parentElement === heading,
        sameLine: badge.top < name.bottom && badge.bottom > name.top,
        gapAfterName: Math.round(badge.left - name.right),
      };
    });

  it('LinkedIn with every class name scrambled: one badge, on the name’s line', async () => {
    const page = await open('https://www.linkedin.com/in/jane-doe/?fixture=linkedin-scrambled');
    await expectBadges(page, { 'Jane Doe': 1 });
    expect(await badgePlace(page)).toEqual({ inHeading: true, sameLine: true, gapAfterName: 4 });
    await page.close();
  });

  it('LinkedIn with the name in a block link: the badge stays beside the name, and a click on it does not follow the link', async () => {
    const page = await open('https://www.linkedin.com/in/jane-doe/?fixture=linkedin-link-h1');
    await expectBadges(page, { 'Jane Doe': 1 });
    expect(await badgePlace(page)).toEqual({ inHeading: true, sameLine: true, gapAfterName: 4 });
    const url = page.url();
    await page.locator('leadscore-badge button').click();
    await page.locator('leadscore-card [role="dialog"]').waitFor();
    expect(page.url()).toBe(url);
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('LinkedIn: follows a URL change that renders nothing (pushState, then back)', async () => {
    const page = await open('https://www.linkedin.com/in/jane-doe/?fixture=linkedin-link-h1');
    await expectBadges(page, { 'Jane Doe': 1 });
    // LinkedIn's scripts push another profile's URL and leave the DOM as it was.
    await page.evaluate(() => (window as unknown as { pushOnly: (path: string) => void }).pushOnly('/in/carol-client/'));
    await expectBadges(page, {});
    expect(await page.locator('main h1').textContent()).toBe('Jane Doe');
    // Back: popstate, still no re-render; Jane is identified again.
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe('/in/jane-doe/');
    await expectBadges(page, { 'Jane Doe': 1 });
    expect(await page.evaluate(() => document.querySelectorAll('leadscore-badge').length)).toBe(1);
    await page.close();
  });
});
