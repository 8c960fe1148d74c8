import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// `npm test` builds the tracker first (npm run build:tracker); this reads what the backend serves.
const BUNDLE = join(import.meta.dirname, '../../dist/tracker/t.js');
const BUDGET = 2_048;

describe('tracker bundle size', () => {
  it(`is at most ${BUDGET} bytes minified + gzip -9, with every feature in`, () => {
    const code = readFileSync(BUNDLE);
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`dist/tracker/t.js: ${code.length} bytes minified, ${gzipped} bytes min+gzip -9 (budget ${BUDGET}, goal 1,536)`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET);
  });

  it('is one IIFE that bundles no zod and leaks no globals but leadscore', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    // terser writes the IIFE as `!function(){...}()` or, smaller, `(()=>{...})()`.
    expect(code).toMatch(/^(!function\(\)\{[\s\S]*\}\(\)|\(\(\)=>\{[\s\S]*\}\)\(\));\s*$/);
    expect(code).not.toMatch(/zod|ZodError|safeParse/);
    // Every feature is in: its event names and hooks are all present (page views are `page` calls).
    for (const part of ['Outbound Link Clicked', 'File Downloaded', 'Form Submitted', 'Engaged Time', 'identify', 'sendBeacon', 'keepalive', 'globalPrivacyControl', 'doNotTrack', 'pushState', 'pageshow', 'utm_']) {
      expect(code).toContain(part);
    }
  });
});
