import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventName } from '../../shared/index';
import { hasChromium } from '../support/env';
import { freePort } from './support/backend-process';
import { launchChromium } from './support/chromium';

/**
 * The README's first ten minutes, as a new user lives them: a checkout with no build output and
 * no database, `npm start` exactly as the README gives it, the printed demo site in a browser,
 * and the visit stored as a lead's history.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const EMAIL = 'first.visit@newuser.example';

/**
 * A clean clone after `npm install`: the tracked files (no dist/ nor data/), this checkout's
 * node_modules, and the install's own postinstall step.
 */
function cleanCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-clone-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    // node_modules and .wxt can be untracked symlinks (a git worktree sharing another checkout's): never copy them.
    .filter((file) => file && !/^(node_modules|\.wxt)(\/|$)/.test(file) && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // What `npm install` does after fetching packages (wxt prepare writes .wxt/, which tsconfig extends).
  execFileSync('npm', ['run', 'postinstall', '--silent'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

/** Runs the README's start command in `cwd` (its own process group, so npm's children stop with it). */
function npmStart(cwd: string, port: number): { child: ChildProcessWithoutNullStreams; banner: Promise<string> } {
  const child = spawn('npm', ['start'], { cwd, detached: true, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const banner = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes('API docs:')) resolve(stdout);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}\n${stdout}\n${stderr}`)));
  });
  return { child, banner };
}

describe.runIf(hasChromium())('the first start from a clean clone', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let banner: string;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = cleanCopy();
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const started = npmStart(dir, port);
    child = started.child;
    banner = await started.banner;
    browser = await launchChromium('MAP nothing.invalid 127.0.0.1');
  });

  afterAll(async () => {
    await browser?.close();
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the tracker the banner points to, built by npm start itself', async () => {
    const scriptSrc = /<script defer src="([^"]+)" data-site="pk_\w+">/.exec(banner)![1]!;
    expect(scriptSrc).toMatch(/\/t\.js$/);
    const res = await fetch(`${url}/t.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/collect');
    expect(existsSync(join(dir, 'dist/tracker/t.js'))).toBe(true);
    expect(existsSync(join(dir, 'data/leadscore.db'))).toBe(true);
  });

  it('records a visit to the demo site, and the visitor turns into a lead with that history', async () => {
    const repToken = /^\s+(ls_rep_\S+)$/m.exec(banner)![1]!;
    const context = await browser.newContext({ userAgent: USER_AGENT });
    const page = await context.newPage();
    await page.goto(`${url}/demo/`);
    await page.goto(`${url}/demo/webinar`);
    await page.waitForFunction(() => typeof window.leadscore === 'function' && !('q' in window.leadscore));
    await page.fill('input[name=name]', 'First Visit');
    await page.fill('input[type=email]', EMAIL);
    await page.click('button');
    await page.waitForSelector('#registered:not([hidden])');

    const api = async <T>(path: string) => (await (await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${repToken}` } })).json()) as T;
    const deadline = Date.now() + 60_000;
    let events: string[] = [];
    while (Date.now() < deadline) {
      const { leads } = await api<{ leads: Record<string, { id: string } | null> }>(`/api/leads?email=${encodeURIComponent(EMAIL)}`);
      const id = leads[EMAIL]?.id;
      if (id) {
        const detail = await api<{ timeline: { events: { event: string }[] } }>(`/api/leads/${id}?limit=50`);
        events = detail.timeline.events.map((e) => e.event);
        if (events.includes(EventName.webinarRegistered)) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(events).toEqual(expect.arrayContaining([EventName.pageViewed, EventName.formSubmitted, EventName.webinarRegistered]));
    expect(events.filter((e) => e === EventName.pageViewed).length).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it('opens the console the banner and the demo point to, built by npm start, and signs in with the printed token', async () => {
    const consoleUrl = /^Console:\s+(\S+)/m.exec(banner)![1]!;
    expect(consoleUrl).toBe(`http://localhost:${new URL(url).port}/app/`);
    expect((await fetch(`${url}/app/`)).status).toBe(200);
    expect(existsSync(join(dir, 'dist/console/index.html'))).toBe(true);
    const repToken = /^\s+(ls_rep_\S+)$/m.exec(banner)![1]!;
    const context = await browser.newContext({ userAgent: USER_AGENT });
    const page = await context.newPage();
    await page.goto(`${url}/demo/`);
    await page.getByRole('link', { name: 'leadscore console' }).click();
    await page.getByLabel('API token').fill(repToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await page.locator('table.leads td', { hasText: EMAIL }).waitFor();
    await context.close();
  });
});
