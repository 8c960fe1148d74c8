/**
 * The tracker's cost to a customer's page: its size (minified, then gzip -9) beside the peers',
 * what each module weighs, and the main-thread time it takes at load in real Chromium.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { rollup } from 'rollup';
import config from '../tracker/rollup.config.mjs';
import { CHROMIUM_PATH } from '../test/support/env';
import { median } from './stats';

const LOADS = 15;
const BUDGET = 2_048;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const gzip = (code: string | Buffer) => gzipSync(code, { level: 9 }).length;

/** Published sizes (min + gzip) of the peers' shipped scripts, as given in the issue; not measured here. */
const PEERS = [
  ['Plausible, page views + SPA', '~1.3 KB', 'no identify, no batching, no retry queue, no GPC'],
  ['Plausible, every extension', '~2.7 KB', 'same'],
  ['Umami', '~2.2 KB', 'same'],
  ['Snowplow, with link and form tracking', '~21 KB', ''],
  ['Segment analytics.js', '~31 KB', ''],
];

/** The real build (tracker/rollup.config.mjs, written where the backend serves it from), with its source map. */
async function build(): Promise<{ code: string; map: { sources: string[]; mappings: string } }> {
  const bundle = await rollup({ ...config, onwarn: () => {} });
  await bundle.write(config.output);
  const { output } = await bundle.generate({ ...config.output, sourcemap: 'hidden' });
  await bundle.close();
  return { code: output[0].code, map: output[0].map! };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The source file of every character of a one-line minified file, from its source map ('' where unmapped). */
function sourceOfEachChar(code: string, map: { sources: string[]; mappings: string }): string[] {
  const owner: string[] = new Array(code.length).fill('');
  let column = 0;
  let source = 0;
  const segments = map.mappings.split(';')[0]!.split(',').filter(Boolean);
  const starts: [number, number][] = [];
  for (const segment of segments) {
    const values: number[] = [];
    let value = 0;
    let shift = 0;
    for (const ch of segment) {
      const digit = BASE64.indexOf(ch);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        values.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    column += values[0]!;
    if (values.length > 1) source += values[1]!;
    starts.push([column, values.length > 1 ? source : -1]);
  }
  starts.forEach(([from, src], i) => {
    const to = starts[i + 1]?.[0] ?? code.length;
    for (let c = from; c < to; c++) owner[c] = src < 0 ? '' : map.sources[src]!;
  });
  return owner;
}

/**
 * Every byte accounted: the minified bytes each module became (from the source map; the rest is
 * the IIFE wrapper), and what the module costs in the gzipped total (the total minus the same
 * file gzipped without that module's bytes). Gzip shares context between modules, so the second
 * column does not add up exactly to the total.
 */
function moduleSizes(code: string, map: { sources: string[]; mappings: string }): { module: string; min: number; gzip: number }[] {
  const owner = sourceOfEachChar(code, map);
  const total = gzip(code);
  const rows = [...new Set(owner)].map((source) => {
    const rest = [...code].filter((_, i) => owner[i] !== source).join('');
    const module = source ? relative(ROOT, fileURLToPath(new URL(source, `file://${ROOT}dist/tracker/`))) : '(IIFE wrapper, unmapped)';
    return { module, min: code.length - rest.length, gzip: total - gzip(rest) };
  });
  return rows.sort((a, b) => b.gzip - a.gzip);
}

/**
 * Main-thread time at load, median of LOADS fresh pages, each in a new tab:
 * - evaluation: parse, compile and run of the script, timed by performance.measure around it
 *   (inlined, so no network time is in it; it reads its data-* attributes like the real tag),
 *   minus the same measure around an empty script;
 * - all of it: Chromium's ScriptDuration (CDP Performance.getMetrics) one second after load,
 *   minus the same page without the tracker: evaluation, the deferred init, the first page
 *   view (an id, localStorage, JSON) and the listeners that ran;
 * - the page's first localStorage access alone, measured the same way, since it is most of it.
 */
async function mainThreadTime(code: string): Promise<{ evaluateMs: number; totalMs: number; storageMs: number }> {
  const sink = createServer((req, res) => {
    if (req.method === 'POST') {
      req.resume();
      res.writeHead(202, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    // The baseline page has the same three script elements, the middle one empty; /storage only
    // opens localStorage after load, as the tracker's init does (its first access is a blocking
    // load of the origin's storage, the same for any script that uses it).
    const body = req.url === '/tracked' ? code : req.url === '/storage' ? "addEventListener('load',()=>setTimeout(()=>localStorage.ls_a))" : '';
    const origin = `http://site.test:${(sink.address() as AddressInfo).port}`;
    const tracker = `<script>performance.mark('ls')</script><script data-site="pk_bench" data-api="${origin}">${body}</script><script>performance.measure('ls-evaluate','ls')</script>`;
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>Bench</title>${tracker}<h1>Hello</h1><a href="/">home</a>`);
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const origin = `http://site.test:${(sink.address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: false,
      ignoreDefaultArgs: ['--enable-automation'],
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-blink-features=AutomationControlled', '--host-resolver-rules=MAP site.test 127.0.0.1'],
    });
    const context = await browser.newContext({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36' });
    const scriptMs = async (path: string) => {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(origin + path, { waitUntil: 'load' });
      await page.waitForTimeout(1_000);
      const { metrics } = await cdp.send('Performance.getMetrics');
      const evaluate = await page.evaluate(() => performance.getEntriesByName('ls-evaluate')[0]?.duration ?? 0);
      const queued = await page.evaluate(() => localStorage.getItem('ls_a') !== null);
      await page.evaluate(() => localStorage.clear());
      await page.close();
      return { script: metrics.find((m) => m.name === 'ScriptDuration')!.value * 1_000, evaluate, queued };
    };
    const baseline: number[] = [];
    const tracked: number[] = [];
    const evaluated: number[] = [];
    const emptyEvaluated: number[] = [];
    const storage: number[] = [];
    await scriptMs('/tracked'); // warm-up: the first page of a browser pays for everything once
    for (let i = 0; i < LOADS; i++) {
      const plain = await scriptMs('/plain');
      baseline.push(plain.script);
      emptyEvaluated.push(plain.evaluate);
      storage.push((await scriptMs('/storage')).script);
      const run = await scriptMs('/tracked');
      if (!run.queued) throw new Error('the tracker did not record the page view; the measurement would be of nothing');
      tracked.push(run.script);
      evaluated.push(run.evaluate);
    }
    return {
      evaluateMs: Math.max(0, median(evaluated) - median(emptyEvaluated)),
      totalMs: Math.max(0, median(tracked) - median(baseline)),
      storageMs: Math.max(0, median(storage) - median(baseline)),
    };
  } finally {
    await browser?.close();
    await new Promise((resolve) => sink.close(resolve));
  }
}

export default async function run(): Promise<string> {
  const { code, map } = await build();
  const total = gzip(code);
  const modules = moduleSizes(code, map);
  const lines = [
    '## Tracker (`dist/tracker/t.js`)',
    '',
    `**${code.length.toLocaleString('en')} bytes minified, ${total.toLocaleString('en')} bytes min + gzip -9** (budget ${BUDGET.toLocaleString('en')}, goal 1,536), with every feature: page views and SPA navigation, outbound and download clicks, forms with identify, engaged time, UTM, batching, the localStorage retry queue, consent, DNT and GPC.`,
    '',
    '| script | min + gzip | notes |',
    '| --- | --- | --- |',
    `| **leadscore t.js** | **${(total / 1024).toFixed(2)} KB** (${total} B, measured) | identify, batching, retry queue, GPC |`,
    ...PEERS.map(([name, size, note]) => `| ${name} | ${size} | ${note} |`),
    '',
    'Where the bytes go: the minified bytes of each module (source map), and what it adds to the gzipped total (the total minus the bundle gzipped without it):',
    '',
    '| module | min | gzip cost |',
    '| --- | ---: | ---: |',
    ...modules.map((m) => `| \`${m.module}\` | ${m.min} | ${m.gzip} |`),
  ];
  if (!existsSync(CHROMIUM_PATH)) {
    lines.push('', `Main-thread time not measured: no Chromium at ${CHROMIUM_PATH}.`);
    return lines.join('\n');
  }
  const { evaluateMs, totalMs, storageMs } = await mainThreadTime(code);
  lines.push(
    '',
    `Main-thread time at page load in Chromium (headless, median of ${LOADS} fresh tabs on a small page, on this shared 2-core machine):`,
    '',
    `- **${evaluateMs.toFixed(2)} ms** to parse, compile and run the script itself (performance.measure around the inlined script, minus the same around an empty one); all it does then is read its data-* attributes and wait for the load event;`,
    `- **${totalMs.toFixed(2)} ms** of script time in all by one second after load (CDP Performance.getMetrics ScriptDuration, minus the same page without the tracker): evaluation, the init that runs after the load event (so none of it delays the page's load), the first page view and its localStorage writes;`,
    `- of which **${storageMs.toFixed(2)} ms** is the page's first localStorage access, which makes the renderer load the origin's storage (measured alone the same way): any script that uses localStorage pays it once per page.`,
  );
  return lines.join('\n');
}
